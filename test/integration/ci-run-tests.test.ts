// CI fails on a skipped or todo test, not only on a failing one (.ci/run-tests reads the node test
// runner's summary), and the runner's closing lines stay the last lines of its output.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawnCollect } from '../support/spawn-collect.ts';
import { ROOT } from '../support/run-cli.ts';

const FILES: Record<string, string> = {
  'pass.test.mjs': "import { test } from 'node:test';\ntest('runs', () => {});\n",
  'skip.test.mjs': "import { test } from 'node:test';\ntest('runs', () => {});\ntest('skipped one', { skip: 'no moto' }, () => {});\n",
  'todo.test.mjs': "import { test } from 'node:test';\ntest('runs', () => {});\ntest('later', { todo: true }, () => {});\n",
  'fail.test.mjs': "import { test } from 'node:test';\ntest('fails', () => { throw new Error('boom'); });\n",
};

test('.ci/run-tests passes only when every test ran and passed, with either reporter', async (t) => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'stsx-run-tests-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  for (const [name, text] of Object.entries(FILES)) writeFileSync(path.join(dir, name), text);
  // Not a child of this test run: the nested runner must print its own summary.
  const env = Object.fromEntries(Object.entries(process.env).filter(([k, v]) => v !== undefined && k !== 'NODE_TEST_CONTEXT')) as Record<string, string>;
  const run = (file: string, reporter: string): ReturnType<typeof spawnCollect> =>
    spawnCollect('bash', [path.join(ROOT, '.ci/run-tests'), process.execPath, '--test', `--test-reporter=${reporter}`, file], { env, cwd: dir, input: '', timeoutMs: 60000 });
  for (const reporter of ['spec', 'tap']) {
    const pass = await run('pass.test.mjs', reporter);
    assert.equal(pass.code, 0, pass.stdout + pass.stderr);
    for (const [file, what] of [['skip.test.mjs', /1 skipped and 0 todo/], ['todo.test.mjs', /0 skipped and 1 todo/]] as const) {
      const r = await run(file, reporter);
      assert.equal(r.code, 1, `${reporter} ${file}: ${r.stdout}${r.stderr}`);
      assert.match(r.stderr, what);
      const last = r.stderr.trimEnd().split('\n').at(-1) ?? '';
      assert.match(last, /^(# |ℹ )duration_ms /, `${reporter}: the runner's closing lines come last`);
    }
    const fail = await run('fail.test.mjs', reporter);
    assert.equal(fail.code, 1, fail.stdout + fail.stderr);
  }
});
