// Size caps on what stsx reads : file://, stdin and literal inputs are read at most up
// to a size STS itself could accept (a 2048-character session policy, a 10240-character encoded
// message, with room for indentation or the error text around it), and fail cleanly beyond it,
// in bounded time and memory: `--policy file:///dev/zero` never reads more than the cap.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { errorLines, runStsx, sandbox } from '../support/run-cli.ts';

const ROLE = 'arn:aws:iam::123456789012:role/caps';
const env = (): Record<string, string> => sandbox({ AWS_ACCESS_KEY_ID: 'AKIAIOSFODNN7EXAMPLE', AWS_SECRET_ACCESS_KEY: 'x', AWS_REGION: 'eu-west-1', AWS_ENDPOINT_URL_STS: 'http://127.0.0.1:9' }).env;
const dir = mkdtempSync(path.join(os.tmpdir(), 'stsx-caps-'));
const big = path.join(dir, 'big.json');
writeFileSync(big, `{"Version":"2012-10-17","Statement":[${'{"Effect":"Allow","Action":"s3:GetObject","Resource":"*"},'.repeat(2000)}{}]}`);

const cases: { name: string; args: string[]; input?: string; message: RegExp }[] = [
  { name: '--policy file:///dev/zero', args: ['assume', '--role-arn', ROLE, '--no-cache', '--format', 'json', '--policy', 'file:///dev/zero'], message: /^stsx: the policy in \/dev\/zero is larger than 16 KiB/ },
  { name: '--policy file://big.json (110 KB)', args: ['assume', '--role-arn', ROLE, '--no-cache', '--format', 'json', '--policy', `file://${big}`], message: /^stsx: the policy in .*big\.json is larger than 16 KiB/ },
  { name: '--policy - with 1 MB on stdin', args: ['assume', '--role-arn', ROLE, '--no-cache', '--format', 'json', '--policy', '-'], input: ' '.repeat(1024 * 1024), message: /^stsx: the policy on stdin is larger than 16 KiB/ },
  { name: 'decode file:///dev/zero', args: ['decode', 'file:///dev/zero'], message: /^stsx: the message in \/dev\/zero is larger than 16 KiB/ },
  { name: 'decode - with 5 MB on stdin', args: ['decode', '-'], input: 'A'.repeat(5 * 1024 * 1024), message: /^stsx: the message on stdin is larger than 16 KiB/ },
];

for (const c of cases) {
  test(`${c.name}: exit 2 at once, one line, nothing on stdout`, async () => {
    const started = Date.now();
    const r = await runStsx(c.args, { env: env(), ...(c.input !== undefined ? { input: c.input } : {}), timeoutMs: 20000 });
    assert.equal(r.code, 2, r.stderr);
    assert.equal(r.stdout, '');
    assert.match(errorLines(r.stderr)[0] ?? '', c.message);
    assert.ok(Date.now() - started < 5000, `took ${Date.now() - started} ms`);
  });
}
