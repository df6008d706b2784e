// `npm run demo`: stsx doing its job without an AWS account. Starts the project's own STS server
// on loopback (the test emulator: real Query protocol, SigV4-checked), writes a throwaway AWS
// config that points a profile at it, and runs whoami, decode and assume as a user would.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { startStsServer } from '../test/support/sts-server.ts';
import { seedDemo } from '../test/support/sts-demo.ts';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const stsx = path.join(root, 'bin', 'stsx.js');
const server = await startStsServer({ region: 'us-east-1' });
const seed = seedDemo(server);
const user = seed.users[0];
if (!user) throw new Error('demo seed has no user');
const home = mkdtempSync(path.join(os.tmpdir(), 'stsx-demo-'));

writeFileSync(path.join(home, 'credentials'), `[demo]\naws_access_key_id = ${user.accessKeyId}\naws_secret_access_key = ${user.secretAccessKey}\n`);
writeFileSync(
  path.join(home, 'config'),
  // Endpoint settings are per profile (as in the AWS SDKs), so each profile names the local server.
  `[default]\nregion = us-east-1\nservices = local-sts\n\n[profile demo]\nregion = us-east-1\nservices = local-sts\n\n` +
    `[profile demo-role]\nrole_arn = ${seed.roles[0]}\nsource_profile = demo\nrole_session_name = demo-session\nservices = local-sts\n\n` +
    `[services local-sts]\nsts =\n  endpoint_url = ${server.url}\n`,
);
const env: Record<string, string> = {
  PATH: process.env.PATH ?? '/usr/bin:/bin',
  HOME: home,
  SHELL: '/bin/bash',
  AWS_CONFIG_FILE: path.join(home, 'config'),
  AWS_SHARED_CREDENTIALS_FILE: path.join(home, 'credentials'),
  AWS_EC2_METADATA_DISABLED: 'true',
  XDG_CACHE_HOME: path.join(home, 'cache'),
  ...(process.env.NO_COLOR ? { NO_COLOR: process.env.NO_COLOR } : {}),
};

function run(title: string, args: string[], shown = `stsx ${args.join(' ')}`, shell = false): Promise<number> {
  process.stdout.write(`\n# ${title}\n$ ${shown}\n`);
  const child = shell ? spawn('bash', ['-c', args.join(' ')], { env, stdio: 'inherit' }) : spawn(process.execPath, [stsx, ...args], { env, stdio: 'inherit' });
  return new Promise((resolve) => child.on('close', (code) => resolve(code ?? 1)));
}

const q = (s: string): string => `'${s.replace(/'/g, `'\\''`)}'`;
const cmd = `${q(process.execPath)} ${q(stsx)}`;
let failures = 0;
process.stdout.write(`stsx demo: a local STS server at ${server.url} plays AWS; the profile "demo" holds an IAM user's keys.\n`);
failures += Number((await run('Who am I? (GetCallerIdentity over the configured endpoint)', ['whoami', '--profile', 'demo'])) !== 0);
failures += Number((await run('The account id only, as scripts want it', ['whoami', '--profile', 'demo', '--query', 'Account'])) !== 0);
failures += Number((await run('Decode an "Encoded authorization failure message"', ['decode', '--profile', 'demo', `Encoded authorization failure message: ${seed.encodedMessage}`], 'stsx decode --profile demo "Encoded authorization failure message: <blob>"')) !== 0);
failures += Number((await run('Assume a role and print export lines for bash', ['assume', '--profile', 'demo', '--role-arn', seed.roles[0] ?? '', '--role-session-name', 'demo', '--format', 'bash'])) !== 0);
failures += Number(
  (await run(
    'Evaluate them in the shell, then check who the shell is now',
    [`eval "$(${cmd} assume --profile demo-role)" && ${cmd} whoami --query Arn`],
    'eval "$(stsx assume --profile demo-role)" && stsx whoami --query Arn',
    true,
  )) !== 0,
);
failures += Number((await run('Again: served from the credential cache, no STS call', ['assume', '--profile', 'demo-role', '--format', 'json'])) !== 0);
failures += Number((await run('What the cache holds (never secrets)', ['cache', 'list'])) !== 0);

await server.close();
rmSync(home, { recursive: true, force: true });
process.stdout.write(failures === 0 ? '\nDemo finished: every command succeeded.\n' : `\nDemo finished with ${failures} failing command(s).\n`);
process.exitCode = failures === 0 ? 0 : 1;
