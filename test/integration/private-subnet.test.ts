// Seed 000 for real: an EC2 instance in a private subnet whose only way to STS is an interface VPC
// endpoint with private DNS. Inside a network namespace only sts.ap-northeast-1.amazonaws.com
// resolves (to the namespace's loopback: 127.0.0.1, or 10.0.0.5 as a "VPC endpoint" address),
// where the STS emulator answers with a certificate from a test CA; sts.amazonaws.com resolves to
// nothing. AWS_STS_REGIONAL_ENDPOINTS=legacy is set, as on the seed's machine: stsx must still go
// regional, with no endpoint override. Nothing here leaves loopback. Needs root (unshare).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { errorLines, sandbox } from '../support/run-cli.ts';
import { runStsScenario, type ScenarioRun, type StsScenario } from '../support/netns.ts';
import { needPrerequisite } from '../support/prerequisites.ts';
import { createTestCa, issueServerCert } from '../support/test-ca.ts';

const REGION = 'ap-northeast-1';
const HOST = `sts.${REGION}.amazonaws.com`;
const ACCOUNT = '210987654321';
const ROLE_ARN = `arn:aws:iam::${ACCOUNT}:role/s3-read-only-role`;

// Every test needs network namespaces (root): without them each fails, naming how to get them.

function scenario(runs: ScenarioRun[]): StsScenario {
  const ca = createTestCa();
  const cert = issueServerCert(ca, [HOST]);
  return {
    region: REGION,
    serverCert: { certFile: cert.certFile, keyFile: cert.keyFile },
    caFile: ca.certFile,
    user: { userName: 'ops', account: ACCOUNT },
    roles: [{ arn: ROLE_ARN }],
    runs,
  };
}

/** The seed machine: legacy setting in the environment, region on the command line, no override. */
function seedEnv(): Record<string, string> {
  return sandbox({ AWS_STS_REGIONAL_ENDPOINTS: 'legacy' }).env;
}

test('regional name on 127.0.0.1: whoami, assume and endpoint --check work with AWS_STS_REGIONAL_ENDPOINTS=legacy', async () => {
  needPrerequisite('netns');
  const env = seedEnv();
  const result = await runStsScenario(scenario([
    { name: 'whoami', args: ['whoami', '--region', REGION, '--output', 'json'], env, withUserKeys: true },
    { name: 'assume', args: ['assume', '--role-arn', ROLE_ARN, '--region', REGION, '--format', 'bash'], env, withUserKeys: true },
    { name: 'check', args: ['endpoint', '--check', '--region', REGION], env, withUserKeys: true },
    { name: 'checkNoKeys', args: ['endpoint', '--check', '--region', REGION, '--output', 'json'], env },
    { name: 'show', args: ['endpoint', '--region', REGION, '--output', 'json'], env },
  ]), { hosts: [{ address: '127.0.0.1', names: [HOST] }] });
  const { whoami, assume, check, checkNoKeys, show } = result.runs;

  assert.equal(whoami?.code, 0, whoami?.stderr);
  assert.equal((JSON.parse(whoami.stdout) as { Arn: string }).Arn, result.user.arn);
  assert.match(whoami.stderr, /ignoring AWS_STS_REGIONAL_ENDPOINTS=legacy/);
  // Every request went to the regional name, signed for the region: never the global endpoint.
  const signed = result.requests.filter((r) => r.signingRegion !== undefined);
  assert.ok(signed.length >= 3, JSON.stringify(result.requests));
  for (const r of result.requests) assert.equal(r.host, HOST);
  for (const r of signed) assert.equal(r.signingRegion, REGION);

  assert.equal(assume?.code, 0, assume?.stderr);
  assert.match(assume.stdout, /^export AWS_ACCESS_KEY_ID='?ASIA/m);
  assert.match(assume.stdout, /^export AWS_SESSION_TOKEN=/m);
  assert.ok(result.requests.some((r) => r.action === 'AssumeRole' && r.status === 200));

  assert.equal(check?.code, 0, `${check?.stdout}\n${check?.stderr}`);
  assert.match(check.stdout, new RegExp(`1\\. DNS\\s+ok\\s+${HOST.replace(/\./g, '\\.')} -> 127\\.0\\.0\\.1`));
  assert.match(check.stdout, /2\. TCP connect\s+ok\s+127\.0\.0\.1:443 connected in \d+ ms/);
  assert.match(check.stdout, /3\. TLS\s+ok\s+TLSv1\.[23] handshake in \d+ ms; certificate CN=sts\.ap-northeast-1\.amazonaws\.com, issued by CN=stsx test CA/);
  assert.match(check.stdout, /4\. STS answers\s+ok\s+unsigned GetCallerIdentity drew MissingAuthenticationToken \(HTTP 403\)/);
  assert.match(check.stdout, new RegExp(`5\\. signed call\\s+ok\\s+GetCallerIdentity as ${result.user.arn}`));
  assert.match(check.stdout, /6\. global endpoint\s+failed\s+sts\.amazonaws\.com does not resolve here/);
  assert.match(check.stdout, /ignored AWS_STS_REGIONAL_ENDPOINTS=legacy/);
  assert.match(check.stdout, /result: the endpoint works/);
  assert.ok(result.requests.some((r) => r.errorCode === 'MissingAuthenticationToken'));

  assert.equal(checkNoKeys?.code, 0, checkNoKeys?.stderr);
  const report = JSON.parse(checkNoKeys.stdout) as { works: boolean; steps: { id: string; status: string; detail: string }[] };
  assert.equal(report.works, true);
  assert.deepEqual(report.steps.map((s) => `${s.id}:${s.status}`), ['dns:ok', 'tcp:ok', 'tls:ok', 'sts:ok', 'signed:skipped', 'global:failed']);
  assert.match(report.steps[4]?.detail ?? '', /^no credentials/);

  assert.equal(show?.code, 0, show?.stderr);
  const shown = JSON.parse(show.stdout) as { url: string; custom: boolean; region: { from: string }; ignored: { setting: string }[] };
  assert.equal(shown.url, `https://${HOST}/`);
  assert.equal(shown.custom, false);
  assert.equal(shown.region.from, '--region');
  assert.deepEqual(shown.ignored.map((i) => i.setting), ['AWS_STS_REGIONAL_ENDPOINTS=legacy']);
});

test('regional name on 10.0.0.5 (the VPC endpoint): the check reports a private address and works', async () => {
  needPrerequisite('netns');
  const env = seedEnv();
  const result = await runStsScenario(scenario([
    { name: 'check', args: ['endpoint', '--check', '--region', REGION], env, withUserKeys: true },
    { name: 'whoami', args: ['whoami', '--region', REGION, '--query', 'Arn'], env, withUserKeys: true },
  ]), { hosts: [{ address: '10.0.0.5', names: [HOST] }], loopbackAddresses: ['10.0.0.5'] });
  const { check, whoami } = result.runs;
  assert.equal(check?.code, 0, `${check?.stdout}\n${check?.stderr}`);
  assert.match(check.stdout, /1\. DNS\s+ok\s+\S+ -> 10\.0\.0\.5 in \d+ ms; private address: an interface VPC endpoint with private DNS answers for this name/);
  assert.match(check.stdout, /2\. TCP connect\s+ok\s+10\.0\.0\.5:443/);
  assert.match(check.stdout, /sts\.amazonaws\.com does not resolve here/);
  assert.equal(whoami?.code, 0, whoami?.stderr);
  assert.equal(whoami.stdout.trim(), result.user.arn);
});

test('regional name missing from DNS: exit 5 with the VPC endpoint advice, from endpoint --check and whoami', async () => {
  needPrerequisite('netns');
  const env = seedEnv();
  const result = await runStsScenario(scenario([
    { name: 'check', args: ['endpoint', '--check', '--region', REGION], env, withUserKeys: true },
    { name: 'whoami', args: ['whoami', '--region', REGION], env, withUserKeys: true },
  ]), { hosts: [] });
  const { check, whoami } = result.runs;

  assert.equal(check?.code, 5, `${check?.stdout}\n${check?.stderr}`);
  assert.match(check.stdout, new RegExp(`1\\. DNS\\s+failed\\s+${HOST.replace(/\./g, '\\.')} does not resolve`));
  assert.match(check.stdout, /fix: .*create an STS interface VPC endpoint \(service com\.amazonaws\.ap-northeast-1\.sts\) with private DNS enabled in ap-northeast-1/);
  assert.match(check.stdout, /2\. TCP connect\s+skipped/);
  assert.match(check.stdout, /5\. signed call\s+skipped/);
  assert.match(check.stdout, /6\. global endpoint\s+failed\s+sts\.amazonaws\.com does not resolve here/);
  assert.match(check.stdout, /result: the endpoint does not work from here/);
  const lines = errorLines(check.stderr);
  assert.match(lines[0] ?? '', new RegExp(`^stsx: the STS endpoint ${HOST.replace(/\./g, '\\.')} does not work from here: DNS failed`));
  assert.match(lines[1] ?? '', /^ {2}hint: .*interface VPC endpoint/);
  assert.equal(lines.length, 2, check.stderr);

  assert.equal(whoami?.code, 5, whoami?.stderr);
  assert.match(whoami.stderr, new RegExp(HOST.replace(/\./g, '\\.')));
  assert.match(whoami.stderr, /interface VPC endpoint/);
  assert.equal(whoami.stdout, '');
  assert.equal(result.requests.length, 0);
});

test('only a corporate proxy reaches STS: whoami and the check go through HTTPS_PROXY; NO_PROXY sends them direct', async () => {
  needPrerequisite('netns');
  const proxied = { ...seedEnv(), HTTPS_PROXY: 'http://ops:pr0xy-pw@127.0.0.1:3128' };
  const exempt = { ...proxied, NO_PROXY: '.amazonaws.com' };
  const wrongPassword = { ...proxied, HTTPS_PROXY: 'http://ops:wrong@127.0.0.1:3128' };
  const result = await runStsScenario({
    ...scenario([
      { name: 'whoami', args: ['whoami', '--region', REGION, '--query', 'Arn'], env: proxied, withUserKeys: true },
      { name: 'check', args: ['endpoint', '--check', '--region', REGION], env: proxied, withUserKeys: true },
      { name: 'checkExempt', args: ['endpoint', '--check', '--region', REGION], env: exempt, withUserKeys: true },
      { name: 'check407', args: ['endpoint', '--check', '--region', REGION], env: wrongPassword, withUserKeys: true },
    ]),
    proxy: { port: 3128, credentials: 'ops:pr0xy-pw' },
  }, { hosts: [] });
  const { whoami, check, checkExempt, check407 } = result.runs;

  assert.equal(whoami?.code, 0, whoami?.stderr);
  assert.equal(whoami.stdout.trim(), result.user.arn);
  assert.ok(result.proxyConnects.includes(`${HOST}:443`), JSON.stringify(result.proxyConnects));

  assert.equal(check?.code, 0, `${check?.stdout}\n${check?.stderr}`);
  assert.match(check.stdout, /proxy: http:\/\/ops:\*\*\*\*@127\.0\.0\.1:3128 {2}\(from \$HTTPS_PROXY\)/);
  assert.match(check.stdout, /proxy: in force: STS calls to sts\.ap-northeast-1\.amazonaws\.com go through the proxy/);
  assert.match(check.stdout, /1\. DNS\s+ok\s+proxy 127\.0\.0\.1 is an IP address: nothing to look up; the proxy resolves sts\.ap-northeast-1\.amazonaws\.com itself/);
  assert.match(check.stdout, /2\. TCP connect\s+ok\s+proxy 127\.0\.0\.1:3128 connected/);
  assert.match(check.stdout, /3\. TLS\s+ok\s+TLSv1\.[23] handshake through the proxy in \d+ ms; certificate CN=sts\.ap-northeast-1\.amazonaws\.com/);
  assert.match(check.stdout, /4\. STS answers\s+ok/);
  assert.match(check.stdout, /5\. signed call\s+ok/);
  assert.match(check.stdout, /6\. global endpoint\s+skipped\s+a proxy is in force/);
  for (const out of [check.stdout, check.stderr, whoami.stderr]) assert.ok(!out.includes('pr0xy-pw'), 'the proxy password never shows');

  assert.equal(checkExempt?.code, 5, checkExempt?.stdout);
  assert.match(checkExempt.stdout, /not used for sts\.ap-northeast-1\.amazonaws\.com: \$NO_PROXY exempts it \(entry "\.amazonaws\.com"\)/);
  assert.match(checkExempt.stdout, /1\. DNS\s+failed\s+sts\.ap-northeast-1\.amazonaws\.com does not resolve/);

  assert.equal(check407?.code, 5, check407?.stdout);
  assert.match(check407.stdout, /3\. TLS\s+failed\s+handshake through the proxy \(CONNECT sts\.ap-northeast-1\.amazonaws\.com:443\) failed \(PROXY_407\)/);
  assert.match(check407.stdout, /fix: the proxy refused the user and password in \$HTTPS_PROXY/);
  assert.match(errorLines(check407.stderr)[0] ?? '', /does not work from here: TLS failed \(PROXY_407\)/);
});
