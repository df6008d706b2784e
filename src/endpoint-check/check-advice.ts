// What to do when a step of `stsx endpoint --check` fails: concrete, for this endpoint and region.
// The VPC endpoint advice follows AWS's "How to use Regional AWS STS endpoints" (2024) and the
// PrivateLink guide: service name com.amazonaws.<region>.sts, private DNS on, so the regional name
// resolves to the endpoint's private addresses.
import { addressKind } from './address-kind.ts';
import type { EndpointDescription } from './describe-endpoint.ts';
import type { CertificateSummary } from './probes.ts';

const CHAIN_CODES = new Set([
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE', 'UNABLE_TO_GET_ISSUER_CERT', 'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'SELF_SIGNED_CERT_IN_CHAIN', 'DEPTH_ZERO_SELF_SIGNED_CERT', 'CERT_UNTRUSTED', 'CERT_SIGNATURE_FAILURE',
]);
const UNREACHABLE_CODES = new Set(['ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'ENETDOWN', 'ECONNRESET']);

function vpcEndpointAdvice(region: string): string {
  return `in a subnet without internet access, create an STS interface VPC endpoint (service com.amazonaws.${region}.sts) with private DNS enabled in ${region}, so this name resolves to it`;
}

function overrideName(d: EndpointDescription): string {
  return d.endpoint.origin.kind === 'flag' ? '--endpoint-url' : d.endpoint.from;
}

export function dnsFix(d: EndpointDescription): string {
  if (d.custom) return `check the host name in ${overrideName(d)} (${d.hostname}) and this machine's DNS resolver`;
  const parts: string[] = [];
  if (d.region.origin.kind === 'default') parts.push(`no region is configured, so stsx used ${d.region.value}: set --region or AWS_REGION to the region you work in`);
  parts.push(vpcEndpointAdvice(d.region.value));
  parts.push(`or pass --endpoint-url with the VPC endpoint's own DNS name (https://vpce-<id>.sts.${d.region.value}.vpce.amazonaws.com)`);
  parts.push('otherwise check the DNS resolver (/etc/resolv.conf)');
  return parts.join('; ');
}

export function tcpFix(d: EndpointDescription, address: string, code: string): string {
  const port = d.port;
  const kind = addressKind(address);
  const proxy = d.proxy.proxy && !d.proxy.inForce ? `; ${d.hostname} is reached directly, not through $${d.proxy.proxy.name}` : '';
  if (code === 'ECONNREFUSED') {
    if (d.custom) return `nothing listens on ${address}:${port}: check the port in ${overrideName(d)} and that the service is running`;
    return `${address} refuses port ${port}: check what the DNS (or /etc/hosts) entry for ${d.hostname} points at`;
  }
  if (kind === 'private' && !d.custom) {
    return `the interface VPC endpoint does not accept the connection: its security group must allow inbound TCP ${port} from this host, and the subnet's network ACL must allow the traffic${proxy}`;
  }
  if (d.custom) return `${address}:${port} is not reachable (${code}): check ${overrideName(d)}, routes and firewalls${proxy}`;
  if (UNREACHABLE_CODES.has(code) || kind === 'public') {
    const viaProxy = d.proxy.proxy ? '' : ', or set HTTPS_PROXY if this network reaches the internet only through a proxy';
    return `${d.hostname} resolves to a public address that this host cannot reach: ${vpcEndpointAdvice(d.region.value)}, or allow outbound HTTPS (a NAT gateway)${viaProxy}${proxy}`;
  }
  return `check routes and firewalls between this host and ${address}:${port}${proxy}`;
}

/** Failures on the way through the proxy: its name, its port, or its answer to CONNECT. */
export function proxyFix(d: EndpointDescription, stage: 'dns' | 'tcp' | 'connect', code: string): string {
  const name = `$${d.proxy.proxy?.name ?? 'HTTPS_PROXY'}`;
  const bypass = `or, if ${d.hostname} is reachable directly (e.g. through an STS interface VPC endpoint), exempt it: NO_PROXY=${d.hostname}`;
  if (stage === 'dns') return `the proxy's host name in ${name} does not resolve: check ${name}, ${bypass}`;
  if (stage === 'tcp') return `the proxy ${d.proxy.hostname ?? ''}:${d.proxy.port ?? ''} is not reachable (${code}): check ${name}, ${bypass}`;
  if (code === 'PROXY_407') {
    const given = /:\/\/[^/]*@/.test(d.proxy.proxy?.value ?? '');
    return `${given ? `the proxy refused the user and password in ${name}: check them` : `the proxy wants credentials: put them in ${name}`} (http://user:password@host:port), ${bypass}`;
  }
  if (code === 'PROXY_502' || code === 'PROXY_504' || code === 'PROXY_503') return `the proxy could not reach ${d.hostname}:${d.port} itself: ask its administrators, ${bypass}`;
  return `the proxy refused CONNECT to ${d.hostname}:${d.port}: ask for it to be allowed, ${bypass}`;
}

export function tlsFix(d: EndpointDescription, code: string, cert: CertificateSummary | undefined): string {
  if (CHAIN_CODES.has(code)) {
    const issuer = cert?.issuer ? `"${cert.issuer}"` : 'the issuer';
    return `Node does not trust ${issuer}: if that is your organisation's CA or a TLS-inspecting proxy, set NODE_EXTRA_CA_CERTS to its certificate (PEM file) and run again`;
  }
  if (code === 'ERR_TLS_CERT_ALTNAME_INVALID' || code === 'HOSTNAME_MISMATCH') {
    const names = cert?.altNames ? ` (${cert.altNames})` : '';
    return `the certificate is for another name${names}: what answers for ${d.hostname} is not STS; check /etc/hosts, DNS${d.custom ? ` and ${overrideName(d)}` : ''}`;
  }
  if (code === 'CERT_HAS_EXPIRED' || code === 'CERT_NOT_YET_VALID') return "check this machine's clock (date -u); if it is right, whatever answers presents a stale certificate";
  if (code === 'EPROTO' || code.startsWith('ERR_SSL')) {
    return `port ${d.port} does not speak TLS${d.custom ? `: for a plain-HTTP emulator use http:// in ${overrideName(d)}` : ': something other than STS answers there'}`;
  }
  if (code === 'ECONNRESET') return 'the connection was dropped during the handshake: a firewall or proxy that filters TLS by server name may block it';
  return `check what answers at ${d.hostname}:${d.port}; for a private CA set NODE_EXTRA_CA_CERTS`;
}

export function notStsFix(d: EndpointDescription): string {
  if (d.custom) return `something that is not STS answers at ${d.url}: check ${overrideName(d)} (it must point at STS, not at a proxy or another service)`;
  return `something that is not STS answers for ${d.hostname} (a captive portal, a filtering proxy, or a wrong /etc/hosts or DNS entry): check what the name resolves to; pass --endpoint-url to pick the endpoint yourself`;
}

export function globalNote(d: EndpointDescription): string {
  const regional = d.custom ? 'the regional endpoint' : `https://sts.${d.region.value}.amazonaws.com`;
  return `for tools that do (AWS Tools for PowerShell, AWS CLI v1, SDKs with AWS_STS_REGIONAL_ENDPOINTS=legacy) set AWS_STS_REGIONAL_ENDPOINTS=regional or give them ${regional} as the endpoint URL`;
}
