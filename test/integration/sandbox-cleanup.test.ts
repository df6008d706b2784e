// Test hygiene: the temporary homes sandbox() makes are removed when the test process exits,
// also when a test failed or left files (even unwritable ones) inside them.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { spawnCollect } from '../support/spawn-collect.ts';
import { ROOT } from '../support/run-cli.ts';

test('sandbox homes are removed when the test process exits', async () => {
  const runCli = pathToFileURL(path.join(ROOT, 'test/support/run-cli.ts')).href;
  const script = `
    import { mkdirSync, writeFileSync, chmodSync } from 'node:fs';
    const { sandbox } = await import(${JSON.stringify(runCli)});
    const a = sandbox(); const b = sandbox();
    mkdirSync(a.home + '/.cache/stsx/deep', { recursive: true });
    writeFileSync(a.home + '/.cache/stsx/deep/f', 'x');
    chmodSync(a.home + '/.cache/stsx', 0o500);
    console.log(JSON.stringify([a.home, b.home]));
    process.exitCode = 1;`;
  const env = Object.fromEntries(Object.entries(process.env).filter(([k, v]) => v !== undefined && k !== 'NODE_TEST_CONTEXT')) as Record<string, string>;
  const r = await spawnCollect(process.execPath, ['--input-type=module', '-e', script], { env, cwd: ROOT, input: '', timeoutMs: 30000 });
  assert.equal(r.code, 1, r.stderr);
  const homes = JSON.parse(r.stdout) as string[];
  assert.equal(homes.length, 2);
  for (const home of homes) assert.equal(existsSync(home), false, `${home} was left behind`);
});
