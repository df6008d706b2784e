// A bank of bad inputs: each must give one clear line (plus an optional hint), the right exit
// code, nothing on stdout, no stack trace, and never the secret.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { errorLines, runStsx, sandbox } from '../support/run-cli.ts';

const SECRET = 'SECRETwJalrXUtnFEMI/K7MDENG/bPxRfiCYzEXAMPLEKEY';
const KEYS = { AWS_ACCESS_KEY_ID: 'AKIAIOSFODNN7EXAMPLE', AWS_SECRET_ACCESS_KEY: SECRET };
const CLOSED = 'http://127.0.0.1:9'; // discard port: nothing listens there

interface Case {
  name: string;
  args: string[];
  env?: Record<string, string>;
  config?: string;
  input?: string;
  code: number;
  message: RegExp;
  setup?: (home: string) => Record<string, string>;
}

// Refusals that only test a validator are unit tables (test/unit/assume-plan.test.ts,
// whoami-options.test.ts, decode-input.test.ts); this bank keeps what needs the whole CLI.
const cases: Case[] = [
  { name: 'unknown command', args: ['frobnicate'], code: 2, message: /unknown command 'frobnicate'/ },
  { name: 'unknown option', args: ['whoami', '--bogus'], code: 2, message: /unknown option '--bogus'/ },
  { name: 'named profile missing', args: ['whoami', '--profile', 'nope'], code: 3, message: /profile "nope" \(from --profile\) is not in .*aws-config or .*aws-credentials/ },
  { name: 'AWS_PROFILE missing', args: ['whoami'], env: { AWS_PROFILE: 'ghost' }, code: 3, message: /profile "ghost" \(from \$AWS_PROFILE\)/ },
  { name: 'malformed region flag', args: ['whoami', '--region', 'Tokyo'], code: 2, message: /"Tokyo" \(from --region\) is not a region name/ },
  { name: 'malformed AWS_REGION', args: ['whoami'], env: { AWS_REGION: 'us-east-1a' }, code: 3, message: /"us-east-1a" \(from \$AWS_REGION\) is not a region name/ },
  { name: 'malformed config line', args: ['whoami'], config: '[default]\nregion = eu-west-1\noops\n', code: 3, message: /malformed line at .*aws-config:3/ },
  { name: 'malformed section header', args: ['whoami'], config: '[profile x\n', code: 3, message: /malformed section header at .*aws-config:1/ },
  {
    name: 'config file is a directory',
    args: ['whoami'],
    code: 3,
    message: /cannot read .*cfgdir: it is a directory/,
    setup: (home) => {
      mkdirSync(path.join(home, 'cfgdir'));
      return { AWS_CONFIG_FILE: path.join(home, 'cfgdir') };
    },
  },
  { name: 'source_profile loop', args: ['whoami', '--profile', 'a'], config: '[profile a]\nrole_arn = arn:aws:iam::123456789012:role/a\nsource_profile = b\n[profile b]\nrole_arn = arn:aws:iam::123456789012:role/b\nsource_profile = a\n', code: 3, message: /source_profile loop: a -> b -> a/ },
  { name: 'bad FIPS setting', args: ['whoami', '--region', 'us-east-1'], env: { AWS_USE_FIPS_ENDPOINT: 'maybe' }, code: 3, message: /AWS_USE_FIPS_ENDPOINT must be true or false/ },
  { name: 'endpoint flag not a URL', args: ['whoami', '--endpoint-url', 'sts.example.com'], code: 2, message: /endpoint URL "sts.example.com" \(from --endpoint-url\) is not an http\(s\) URL/ },
  { name: 'AWS_ENDPOINT_URL_STS not a URL', args: ['whoami', '--region', 'eu-west-1'], env: { AWS_ENDPOINT_URL_STS: 'nope' }, code: 3, message: /AWS_ENDPOINT_URL_STS/ },
  { name: 'no credentials anywhere', args: ['whoami', '--region', 'eu-west-1', '--endpoint-url', CLOSED], env: { AWS_ACCESS_KEY_ID: '', AWS_SECRET_ACCESS_KEY: '' }, code: 4, message: /no AWS credentials found for profile "default"/ },
  { name: 'endpoint refuses connections', args: ['whoami', '--region', 'eu-west-1', '--endpoint-url', CLOSED], code: 5, message: /cannot connect to the STS endpoint 127.0.0.1:9 \(ECONNREFUSED\)/ },
  { name: 'whoami --output yaml', args: ['whoami', '--output', 'yaml'], code: 2, message: /argument 'yaml' is invalid/ },
  { name: 'decode with empty stdin', args: ['decode', '-'], input: '', code: 2, message: /stdin was empty/ },
  { name: 'decode file:// missing', args: ['decode', 'file:///nonexistent/msg.txt'], code: 2, message: /cannot read \/nonexistent\/msg.txt \(ENOENT\)/ },
];

for (const c of cases) {
  test(`bad input: ${c.name} -> exit ${c.code}`, async () => {
    const box = sandbox(KEYS);
    if (c.config) box.writeConfig(c.config);
    const extra = c.setup ? c.setup(box.home) : {};
    const env = { ...box.env, ...extra, ...(c.env ?? {}) };
    for (const [k, v] of Object.entries(env)) if (v === '') delete env[k];
    const r = await runStsx(c.args, { env, input: c.input ?? '' });
    assert.equal(r.code, c.code, `exit code; stderr: ${r.stderr}`);
    assert.equal(r.stdout, '', 'nothing on stdout');
    const lines = errorLines(r.stderr);
    assert.ok(lines.length >= 1 && lines.length <= 2, `one line plus an optional hint, got:\n${r.stderr}`);
    assert.match(lines[0] ?? '', /^stsx: /);
    if (lines[1] !== undefined) assert.match(lines[1], /^ {2}hint: /);
    assert.match(lines[0] ?? '', c.message);
    assert.doesNotMatch(r.stderr, /\n\s+at /, 'no stack trace');
    assert.ok(!r.stderr.includes(SECRET), 'the secret is never echoed');
  });
}

test('--debug adds a stack trace, still without the secret', async () => {
  const box = sandbox(KEYS);
  const r = await runStsx(['whoami', '--region', 'eu-west-1', '--endpoint-url', CLOSED, '--debug'], { env: box.env });
  assert.equal(r.code, 5);
  assert.match(r.stderr, /stsx: debug: .*\n\s+at /);
  assert.ok(!r.stderr.includes(SECRET));
});
