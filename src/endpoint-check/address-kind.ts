// What kind of address a name resolved to. A private address for a regional STS name is the
// mark of an interface VPC endpoint with private DNS (AWS PrivateLink: "the DNS name of the
// service resolves to the private IP addresses of the endpoint network interfaces").
import { isIP } from 'node:net';

export type AddressKind = 'private' | 'loopback' | 'link-local' | 'public';

const PRIVATE_V4: [string, number][] = [
  ['10.0.0.0', 8],
  ['172.16.0.0', 12],
  ['192.168.0.0', 16],
];

export function addressKind(address: string): AddressKind {
  if (isIP(address) === 4) {
    const value = ipv4ToNumber(address) ?? 0;
    if (value >>> 24 === 127) return 'loopback';
    if (value >>> 16 === ((169 << 8) | 254)) return 'link-local';
    for (const [net, bits] of PRIVATE_V4) {
      const mask = (~0 << (32 - bits)) >>> 0;
      if ((value & mask) >>> 0 === ipv4ToNumber(net)) return 'private';
    }
    return 'public';
  }
  const lower = address.toLowerCase();
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/.exec(lower);
  if (mapped?.[1]) return addressKind(mapped[1]);
  if (lower === '::1') return 'loopback';
  if (/^fe[89ab]/.test(lower)) return 'link-local';
  if (lower.startsWith('fd')) return 'private';
  return 'public';
}

export function ipv4ToNumber(address: string): number | undefined {
  const parts = address.split('.');
  if (parts.length !== 4) return undefined;
  let value = 0;
  for (const part of parts) {
    if (!/^\d{1,3}$/.test(part) || Number(part) > 255) return undefined;
    value = value * 256 + Number(part);
  }
  return value;
}
