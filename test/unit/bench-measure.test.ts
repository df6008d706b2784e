// scripts/bench-measure.py, which times every benchmark run: with "interleave" it takes the
// commands in turn (A B A B ...), so that a ratio between them compares the same seconds.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const script = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../scripts/bench-measure.py');

function measure(spec: object): { ok: boolean; results?: Array<{ wallMs: number[]; warmup: unknown[] }>; wallMs?: number[]; error?: string; spec?: number } {
  try {
    return JSON.parse(execFileSync('python3', [script], { input: JSON.stringify(spec), encoding: 'utf8' })) as ReturnType<typeof measure>;
  } catch (error) {
    return JSON.parse((error as { stdout: string }).stdout) as ReturnType<typeof measure>;
  }
}

test('interleave: each command in turn, warm-ups first, one result per command', () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'stsx-bench-test-'));
  try {
    const log = path.join(dir, 'order');
    const env = { PATH: process.env.PATH ?? '/usr/bin:/bin' };
    const step = (letter: string): object => ({ argv: ['sh', '-c', `printf ${letter} >> '${log}'; echo ${letter}`], env, stdoutHas: [letter] });
    const out = measure({ interleave: [step('A'), step('B'), step('C')], runs: 3, warmup: 1 });
    assert.equal(out.ok, true, out.error);
    assert.equal(readFileSync(log, 'utf8'), 'ABC'.repeat(4));
    assert.equal(out.results?.length, 3);
    for (const r of out.results ?? []) {
      assert.equal(r.wallMs.length, 3);
      assert.equal(r.warmup.length, 1);
    }
    // A failure names which command failed, and nothing after it runs.
    const failed = measure({ interleave: [step('A'), { argv: ['sh', '-c', 'exit 3'], env }], runs: 3, warmup: 1 });
    assert.equal(failed.ok, false);
    assert.equal(failed.spec, 1);
    assert.match(failed.error ?? '', /exit code 3/);
    // One spec without "interleave": the single-command shape, as before.
    const single = measure({ ...step('D'), runs: 2, warmup: 1 });
    assert.equal(single.ok, true);
    assert.equal(single.wallMs?.length, 2);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
