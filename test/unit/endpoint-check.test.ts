// `stsx endpoint --check` step logic driven through every branch with fake probes: no network.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { resolveSettings } from '../../src/settings/resolve-settings.ts';
import { loadEndpointRules } from '../../src/sts/client.ts';
import { describeEndpoint, type EndpointDescription } from '../../src/endpoint-check/describe-endpoint.ts';
import { checkEndpoint, checkFailure, type CheckReport } from '../../src/endpoint-check/run-checks.ts';
import { checkText } from '../../src/endpoint-check/render-check.ts';
import type { SignedCall, StepId } from '../../src/endpoint-check/check-steps.ts';
import type { HttpAnswer, LookupAddress, Probes, TlsAnswer, TlsTarget } from '../../src/endpoint-check/probes.ts';
import { AuthError, ConfigError, NetworkError } from '../../src/errors.ts';
import { proxyEnv } from '../../src/sts/limits.ts';

const rules = await loadEndpointRules();
const HOST = 'sts.ap-northeast-1.amazonaws.com';

async function describe(opts: { region?: string | undefined; env?: Record<string, string> | undefined; endpointUrl?: string | undefined } = {}): Promise<EndpointDescription> {
  const env = { AWS_EC2_METADATA_DISABLED: 'true', ...opts.env };
  const settings = await resolveSettings(
    { region: opts.region, endpointUrl: opts.endpointUrl },
    { env, homedir: '/nonexistent', readFile: () => Promise.reject(Object.assign(new Error('missing'), { code: 'ENOENT' })), loadRules: () => Promise.resolve(rules) },
  );
  return describeEndpoint(settings, env);
}

const coded = (code: string): Error => Object.assign(new Error(code), { code });
const STS_403 = `<ErrorResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><Error><Type>Sender</Type><Code>MissingAuthenticationToken</Code><Message>Request is missing Authentication Token</Message></Error><RequestId>1</RequestId></ErrorResponse>`;
const GOOD_TLS: TlsAnswer = {
  authorized: true,
  authorizationError: undefined,
  protocol: 'TLSv1.3',
  certificate: { subject: `CN=${HOST}`, issuer: 'CN=Amazon RSA 2048 M01, O=Amazon, C=US', validTo: 'Jan  1 00:00:00 2027 GMT', altNames: `DNS:${HOST}` },
};

interface Fake {
  lookup?: Record<string, LookupAddress[] | Error>;
  connect?: Record<string, Error | undefined>;
  tls?: TlsAnswer | Error;
  post?: HttpAnswer | Error;
  calls: string[];
  tlsTargets: TlsTarget[];
  postProxyEnv: (Record<string, string> | undefined)[];
}

function fake(overrides: Partial<Omit<Fake, 'calls' | 'tlsTargets' | 'postProxyEnv'>> = {}): Fake & { probes: Probes } {
  const state: Fake = { calls: [], tlsTargets: [], postProxyEnv: [], ...overrides };
  let clock = 0;
  const probes: Probes = {
    now: () => (clock += 5),
    lookup: (host) => {
      state.calls.push(`lookup ${host}`);
      const answer = state.lookup?.[host] ?? (host === 'sts.amazonaws.com' ? coded('ENOTFOUND') : [{ address: '10.0.2.228', family: 4 }]);
      return answer instanceof Error ? Promise.reject(answer) : Promise.resolve(answer);
    },
    connect: (address, port) => {
      state.calls.push(`connect ${address}:${port}`);
      const error = state.connect?.[address];
      return error ? Promise.reject(error) : Promise.resolve();
    },
    tlsConnect: (target) => {
      state.calls.push(`tls ${target.address}:${target.port} ${target.servername ?? '-'}`);
      state.tlsTargets.push(target);
      const answer = state.tls ?? GOOD_TLS;
      return answer instanceof Error ? Promise.reject(answer) : Promise.resolve(answer);
    },
    httpPost: (url, _body, _timeout, env) => {
      state.calls.push(`post ${url}`);
      state.postProxyEnv.push(env);
      const answer = state.post ?? { status: 403, contentType: 'text/xml', requestId: '1', body: STS_403 };
      return answer instanceof Error ? Promise.reject(answer) : Promise.resolve(answer);
    },
  };
  return Object.assign(state, { probes });
}

const signedOk: SignedCall = { credentials: () => Promise.resolve(), getCallerIdentity: () => Promise.resolve({ arn: 'arn:aws:iam::123456789012:user/ops' }) };

async function run(d: EndpointDescription, f: ReturnType<typeof fake>, options: { signed?: SignedCall | undefined; env?: Record<string, string> } = { signed: signedOk }): Promise<CheckReport> {
  const signed = 'signed' in options ? options.signed : signedOk;
  return checkEndpoint(d, { probes: f.probes, timeoutMs: 3000, proxyEnv: proxyEnv(options.env ?? {}) }, signed);
}

function statuses(report: CheckReport): string {
  return report.steps.map((s) => `${s.id}:${s.status}`).join(' ');
}

function step(report: CheckReport, id: StepId): CheckReport['steps'][number] {
  const found = report.steps.find((s) => s.id === id);
  assert.ok(found, `no step ${id}`);
  return found;
}

test('everything answers, private address: works, and says an interface VPC endpoint answers', async () => {
  const f = fake();
  const report = await run(await describe({ region: 'ap-northeast-1' }), f);
  assert.equal(statuses(report), 'dns:ok tcp:ok tls:ok sts:ok signed:ok global:failed');
  assert.equal(report.works, true);
  assert.match(step(report, 'dns').detail, /-> 10\.0\.2\.228 in 5 ms; private address: an interface VPC endpoint with private DNS/);
  assert.match(step(report, 'tcp').detail, /^10\.0\.2\.228:443 connected in 5 ms$/);
  assert.match(step(report, 'tls').detail, /TLSv1\.3 handshake in 5 ms; certificate CN=sts\.ap-northeast-1\.amazonaws\.com, issued by CN=Amazon RSA 2048 M01/);
  assert.match(step(report, 'sts').detail, /drew MissingAuthenticationToken \(HTTP 403\)/);
  assert.match(step(report, 'signed').detail, /as arn:aws:iam::123456789012:user\/ops/);
  assert.equal(step(report, 'global').decisive, false);
  assert.deepEqual(f.calls, [
    `lookup ${HOST}`, 'connect 10.0.2.228:443', `tls 10.0.2.228:443 ${HOST}`, `post https://${HOST}/`, 'lookup sts.amazonaws.com',
  ]);
  const text = checkText(report);
  assert.match(text, /^1\. DNS {13}ok {6}/m);
  assert.match(text, /^6\. global endpoint failed {2}sts\.amazonaws\.com does not resolve here \(ENOTFOUND\)/m);
  assert.match(text, /note: for tools that do .*AWS_STS_REGIONAL_ENDPOINTS=regional/);
  assert.match(text, /result: the endpoint works/);
});

const dnsCases: { name: string; region?: string; env?: Record<string, string>; fix: RegExp[] }[] = [
  { name: 'region given', region: 'ap-northeast-1', fix: [/com\.amazonaws\.ap-northeast-1\.sts/, /private DNS enabled in ap-northeast-1/, /--endpoint-url with the VPC endpoint's own DNS name/] },
  { name: 'no region at all', fix: [/no region is configured, so stsx used us-east-1: set --region or AWS_REGION/, /com\.amazonaws\.us-east-1\.sts/] },
  { name: 'custom endpoint', env: { AWS_ENDPOINT_URL_STS: 'https://sts.internal.example:8443' }, region: 'eu-west-1', fix: [/check the host name in \$AWS_ENDPOINT_URL_STS \(sts\.internal\.example\)/] },
];

for (const c of dnsCases) {
  test(`DNS fails (${c.name}): later steps skipped, exit advice is concrete`, async () => {
    const d = await describe({ region: c.region, env: c.env });
    const f = fake({ lookup: { [d.hostname]: coded('ENOTFOUND') } });
    const report = await run(d, f);
    assert.equal(statuses(report), 'dns:failed tcp:skipped tls:skipped sts:skipped signed:skipped global:failed');
    assert.equal(report.works, false);
    for (const re of c.fix) assert.match(step(report, 'dns').fix ?? '', re);
    const error = checkFailure(report);
    assert.ok(error instanceof NetworkError);
    assert.equal(error.exitCode, 5);
    assert.equal(error.host, d.hostname);
    assert.match(error.message, new RegExp(`the STS endpoint ${d.hostname.replace(/\./g, '\\.')} does not work from here: DNS failed \\(ENOTFOUND\\)`));
    assert.equal(error.hint, step(report, 'dns').fix);
  });
}

const tcpCases: { name: string; address: string; code: string; endpointUrl?: string; fix: RegExp }[] = [
  { name: 'VPC endpoint drops 443', address: '10.0.2.228', code: 'ETIMEDOUT', fix: /security group must allow inbound TCP 443 from this host/ },
  { name: 'public address unreachable', address: '52.119.196.1', code: 'ETIMEDOUT', fix: /resolves to a public address that this host cannot reach: in a subnet without internet access, create an STS interface VPC endpoint .*NAT gateway/ },
  { name: 'refused', address: '10.0.2.228', code: 'ECONNREFUSED', fix: /10\.0\.2\.228 refuses port 443: check what the DNS \(or \/etc\/hosts\) entry/ },
  { name: 'custom endpoint refused', address: '127.0.0.1', code: 'ECONNREFUSED', endpointUrl: 'http://127.0.0.1:4566', fix: /nothing listens on 127\.0\.0\.1:4566: check the port in --endpoint-url/ },
];

for (const c of tcpCases) {
  test(`TCP fails (${c.name})`, async () => {
    const d = await describe({ region: 'ap-northeast-1', endpointUrl: c.endpointUrl });
    const f = fake({ lookup: { [d.hostname]: [{ address: c.address, family: 4 }] }, connect: { [c.address]: coded(c.code) } });
    const report = await run(d, f);
    assert.equal(statuses(report), 'dns:ok tcp:failed tls:skipped sts:skipped signed:skipped global:failed');
    assert.match(step(report, 'tcp').detail, new RegExp(`${c.code} after 5 ms`));
    assert.match(step(report, 'tcp').fix ?? '', c.fix);
    assert.equal(report.works, false);
  });
}

test('TCP tries the next address when the first fails', async () => {
  const f = fake({ lookup: { [HOST]: [{ address: '10.0.1.1', family: 4 }, { address: '10.0.2.2', family: 4 }] }, connect: { '10.0.1.1': coded('ETIMEDOUT') } });
  const report = await run(await describe({ region: 'ap-northeast-1' }), f);
  assert.equal(step(report, 'tcp').status, 'ok');
  assert.deepEqual(step(report, 'tcp').addresses, ['10.0.2.2']);
  assert.ok(f.calls.includes(`tls 10.0.2.2:443 ${HOST}`));
});

const tlsCases: { name: string; answer: TlsAnswer | Error; endpointUrl?: string; fix: RegExp }[] = [
  {
    name: 'private CA / inspecting proxy',
    answer: { ...GOOD_TLS, authorized: false, authorizationError: 'SELF_SIGNED_CERT_IN_CHAIN', certificate: { ...GOOD_TLS.certificate!, issuer: 'CN=Corp Inspection CA' } },
    fix: /Node does not trust "CN=Corp Inspection CA": .*NODE_EXTRA_CA_CERTS/,
  },
  {
    name: 'wrong name',
    answer: { ...GOOD_TLS, authorized: false, authorizationError: 'ERR_TLS_CERT_ALTNAME_INVALID', certificate: { ...GOOD_TLS.certificate!, altNames: 'DNS:portal.example' } },
    fix: /certificate is for another name \(DNS:portal\.example\): what answers for sts\.ap-northeast-1\.amazonaws\.com is not STS/,
  },
  { name: 'expired', answer: { ...GOOD_TLS, authorized: false, authorizationError: 'CERT_HAS_EXPIRED' }, fix: /check this machine's clock/ },
  { name: 'plain HTTP emulator behind https://', answer: coded('EPROTO'), endpointUrl: 'https://localhost:4566', fix: /does not speak TLS: for a plain-HTTP emulator use http:\/\/ in --endpoint-url/ },
];

for (const c of tlsCases) {
  test(`TLS fails (${c.name})`, async () => {
    const d = await describe({ region: 'ap-northeast-1', endpointUrl: c.endpointUrl });
    const f = fake({ lookup: { [d.hostname]: [{ address: '127.0.0.1', family: 4 }] }, tls: c.answer });
    const report = await run(d, f);
    assert.equal(statuses(report), 'dns:ok tcp:ok tls:failed sts:skipped signed:skipped global:failed');
    assert.match(step(report, 'tls').fix ?? '', c.fix);
    assert.equal(report.works, false);
  });
}

test('http:// endpoint: TLS skipped, still works', async () => {
  const d = await describe({ region: 'eu-west-1', endpointUrl: 'http://127.0.0.1:4566' });
  const f = fake();
  const report = await run(d, f);
  assert.equal(statuses(report), 'dns:ok tcp:ok tls:skipped sts:ok signed:ok global:failed');
  assert.match(step(report, 'dns').detail, /127\.0\.0\.1 is an IP address: nothing to look up/);
  assert.match(step(report, 'tls').detail, /http:\/\/ endpoint: no TLS/);
  assert.equal(report.works, true);
  assert.ok(!f.calls.some((c) => c.startsWith('lookup 127')));
});

const stsCases: { name: string; post: HttpAnswer | Error; status: 'ok' | 'failed'; detail: RegExp }[] = [
  { name: 'captive portal', post: { status: 200, contentType: 'text/html; charset=utf-8', requestId: undefined, body: '<!DOCTYPE html><title>Sign in to Wi-Fi</title>' }, status: 'failed', detail: /HTTP 200 \(text\/html\) in 5 ms is not an STS answer: "<!DOCTYPE html><title>Sign in to Wi-Fi<\/title>"/ },
  { name: 'empty 502 from a proxy', post: { status: 502, contentType: '', requestId: undefined, body: '' }, status: 'failed', detail: /HTTP 502 \(no content type\) .* empty body/ },
  { name: 'another STS error', post: { status: 403, contentType: 'text/xml', requestId: '1', body: STS_403.replace('MissingAuthenticationToken', 'AccessDenied') }, status: 'ok', detail: /drew AccessDenied .*not the usual MissingAuthenticationToken/ },
  { name: 'emulator without auth', post: { status: 200, contentType: 'text/xml', requestId: '1', body: '<GetCallerIdentityResponse><GetCallerIdentityResult/></GetCallerIdentityResponse>' }, status: 'ok', detail: /does not check signatures/ },
  { name: 'reset', post: coded('ECONNRESET'), status: 'failed', detail: /unsigned POST failed \(ECONNRESET\)/ },
];

// What a captive portal or a proxy does to the signed call too (sts/validate-answer.ts).
const signedNotSts: SignedCall = { credentials: () => Promise.resolve(), getCallerIdentity: () => Promise.reject(new NetworkError('this is not an STS answer: x answered GetCallerIdentity with HTTP 200')) };

for (const c of stsCases) {
  test(`STS probe: ${c.name}`, async () => {
    const report = await run(await describe({ region: 'ap-northeast-1' }), fake({ post: c.post }), { signed: signedNotSts });
    assert.equal(step(report, 'sts').status, c.status);
    assert.match(step(report, 'sts').detail, c.detail);
    assert.equal(report.works, c.status === 'ok' && step(report, 'signed').status !== 'failed');
    if (c.status === 'failed') {
      assert.match(step(report, 'sts').fix ?? '', /something that is not STS answers for sts\.ap-northeast-1\.amazonaws\.com/);
      // An HTTP answer that is not STS's: the signed call still runs and decides.
      assert.equal(step(report, 'signed').status, c.post instanceof Error ? 'skipped' : 'failed');
      assert.equal(report.notAwsSts, undefined);
    }
  });
}

test('STS probe answered as S3 (moto, LocalStack) but the signed call works: works, not AWS\'s STS', async () => {
  const post: HttpAnswer = { status: 200, contentType: 'application/xml', requestId: undefined, body: '<?xml version="1.0"?><ListAllMyBucketsResult xmlns="http://s3.amazonaws.com/doc/2006-03-01"/>' };
  const report = await run(await describe({ region: 'us-east-1', endpointUrl: 'http://127.0.0.1:5000' }), fake({ post }));
  assert.equal(statuses(report), 'dns:ok tcp:ok tls:skipped sts:ok signed:ok global:failed');
  assert.match(step(report, 'sts').detail, /HTTP 200 \(application\/xml\) in \d+ ms, not STS's own answer: .*; the signed call works, so this is not AWS's STS/);
  assert.equal(report.works, true);
  assert.equal(report.notAwsSts, true);
  assert.match(checkText(report), /^result: the endpoint works, but it is not AWS's STS \(an emulator, or a proxy in between\)$/m);
});

const signedCases: { name: string; call: SignedCall | undefined; status: string; works: boolean; detail: RegExp }[] = [
  { name: 'no credentials', call: { credentials: () => Promise.reject(new AuthError('no AWS credentials found for profile "default"')), getCallerIdentity: () => Promise.reject(new Error('unreachable')) }, status: 'skipped', works: true, detail: /^no credentials: no AWS credentials found/ },
  { name: 'profile needs MFA', call: { credentials: () => Promise.reject(new ConfigError('profile "x" needs an MFA code')), getCallerIdentity: () => Promise.reject(new Error('unreachable')) }, status: 'skipped', works: true, detail: /^no credentials: profile "x" needs an MFA code/ },
  { name: 'role hop cannot reach the endpoint', call: { credentials: () => Promise.reject(new NetworkError('cannot connect to the STS endpoint x (ETIMEDOUT)', { hint: 'h' })), getCallerIdentity: () => Promise.reject(new Error('unreachable')) }, status: 'failed', works: false, detail: /cannot connect/ },
  { name: 'STS refuses the key', call: { credentials: () => Promise.resolve(), getCallerIdentity: () => Promise.reject(new AuthError('STS does not recognise the access key id (InvalidClientTokenId)', { code: 'InvalidClientTokenId', hint: 'the key may be deleted' })) }, status: 'failed', works: true, detail: /^the endpoint works, but STS does not recognise the access key id/ },
  { name: 'signed call times out', call: { credentials: () => Promise.resolve(), getCallerIdentity: () => Promise.reject(new NetworkError('cannot connect to the STS endpoint x (TimeoutError)')) }, status: 'failed', works: false, detail: /TimeoutError/ },
  { name: 'not requested', call: undefined, status: 'skipped', works: true, detail: /not requested/ },
];

for (const c of signedCases) {
  test(`signed call: ${c.name}`, async () => {
    const report = await run(await describe({ region: 'ap-northeast-1' }), fake(), { signed: c.call });
    assert.equal(step(report, 'signed').status, c.status);
    assert.match(step(report, 'signed').detail, c.detail);
    assert.equal(report.works, c.works);
    if (!c.works) assert.match(checkFailure(report).message, /signed call failed/);
  });
}

test('global endpoint: resolves -> ok for contrast; in use -> skipped; other partition -> skipped', async () => {
  const resolves = await run(await describe({ region: 'eu-west-1' }), fake({ lookup: { 'sts.amazonaws.com': [{ address: '209.54.177.164', family: 4 }] } }));
  assert.equal(step(resolves, 'global').status, 'ok');
  assert.match(step(resolves, 'global').detail, /stsx does not use it/);
  const inUse = await run(await describe({ region: 'aws-global' }), fake({ lookup: { 'sts.amazonaws.com': [{ address: '209.54.177.164', family: 4 }] } }));
  assert.equal(step(inUse, 'global').status, 'skipped');
  const china = await run(await describe({ region: 'cn-north-1' }), fake());
  assert.equal(step(china, 'global').status, 'skipped');
  assert.match(step(china, 'global').detail, /partition aws-cn has no global endpoint/);
});

test('a proxy in force: DNS and TCP go to the proxy, TLS tunnels through CONNECT, the POST gets the proxy env', async () => {
  const env = { HTTPS_PROXY: 'http://bob:s3cret@proxy.corp:3128', NO_PROXY: 'localhost,.internal' };
  const d = await describe({ region: 'ap-northeast-1', env });
  const f = fake({ lookup: { 'proxy.corp': [{ address: '10.9.9.9', family: 4 }] } });
  const report = await run(d, f, { env });
  assert.equal(report.works, true);
  assert.deepEqual(f.calls.slice(0, 4), ['lookup proxy.corp', 'connect 10.9.9.9:3128', `tls 10.9.9.9:3128 ${HOST}`, `post https://${HOST}/`]);
  assert.deepEqual(f.tlsTargets[0]?.tunnel, { proxyUrl: 'http://bob:s3cret@proxy.corp:3128', target: `${HOST}:443` });
  assert.equal(f.postProxyEnv[0]?.HTTPS_PROXY, 'http://bob:s3cret@proxy.corp:3128');
  assert.match(step(report, 'dns').detail, /^proxy proxy\.corp -> 10\.9\.9\.9 .*the proxy resolves sts\.ap-northeast-1\.amazonaws\.com itself/);
  assert.match(step(report, 'tls').detail, /handshake through the proxy in/);
  assert.equal(step(report, 'global').status, 'skipped');
  assert.ok(!f.calls.includes('lookup sts.amazonaws.com'), 'with a proxy, names are the proxy\'s business');
  const text = checkText(report);
  assert.match(text, /proxy: http:\/\/bob:\*\*\*\*@proxy\.corp:3128 {2}\(from \$HTTPS_PROXY\)/);
  assert.ok(!text.includes('s3cret') && !JSON.stringify(report).includes('s3cret'), 'the proxy password never appears');
});

const proxyFailures: { name: string; env?: Record<string, string>; f: Partial<Omit<Fake, 'calls' | 'tlsTargets' | 'postProxyEnv'>>; failed: StepId; fix: RegExp }[] = [
  { name: 'proxy name does not resolve', f: { lookup: { 'proxy.corp': coded('ENOTFOUND') } }, failed: 'dns', fix: /the proxy's host name in \$HTTPS_PROXY does not resolve.*NO_PROXY=sts\.ap-northeast-1\.amazonaws\.com/ },
  { name: 'proxy port closed', f: { lookup: { 'proxy.corp': [{ address: '10.9.9.9', family: 4 }] }, connect: { '10.9.9.9': coded('ECONNREFUSED') } }, failed: 'tcp', fix: /the proxy proxy\.corp:3128 is not reachable \(ECONNREFUSED\)/ },
  { name: 'proxy wants credentials', f: { lookup: { 'proxy.corp': [{ address: '10.9.9.9', family: 4 }] }, tls: coded('PROXY_407') }, failed: 'tls', fix: /the proxy wants credentials: put them in \$HTTPS_PROXY/ },
  { name: 'proxy refuses the given password', env: { HTTPS_PROXY: 'http://bob:bad@proxy.corp:3128' }, f: { lookup: { 'proxy.corp': [{ address: '10.9.9.9', family: 4 }] }, tls: coded('PROXY_407') }, failed: 'tls', fix: /the proxy refused the user and password in \$HTTPS_PROXY: check them/ },
  { name: 'proxy forbids the host', f: { lookup: { 'proxy.corp': [{ address: '10.9.9.9', family: 4 }] }, tls: coded('PROXY_403') }, failed: 'tls', fix: /the proxy refused CONNECT to sts\.ap-northeast-1\.amazonaws\.com:443/ },
];

for (const c of proxyFailures) {
  test(`through a proxy: ${c.name}`, async () => {
    const env = c.env ?? { HTTPS_PROXY: 'http://proxy.corp:3128' };
    const report = await run(await describe({ region: 'ap-northeast-1', env }), fake(c.f), { env });
    assert.equal(step(report, c.failed).status, 'failed');
    assert.match(step(report, c.failed).fix ?? '', c.fix);
    assert.equal(report.works, false);
  });
}

test('NO_PROXY exempting the host: the check goes direct, as stsx does', async () => {
  const env = { HTTPS_PROXY: 'http://proxy.corp:3128', NO_PROXY: '.amazonaws.com' };
  const d = await describe({ region: 'ap-northeast-1', env });
  assert.equal(d.proxy.inForce, false);
  assert.equal(d.proxy.excludedBy, '.amazonaws.com');
  const f = fake();
  await run(d, f, { env });
  assert.equal(f.calls[0], `lookup ${HOST}`);
  assert.equal(f.tlsTargets[0]?.tunnel, undefined);
});
