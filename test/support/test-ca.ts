// A throwaway certificate authority and server certificates made with openssl in a temp dir, so
// TLS tests verify a real chain (Node trusts the CA through NODE_EXTRA_CA_CERTS), never disable
// verification, and never need a network.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { isIP } from 'node:net';
import os from 'node:os';
import path from 'node:path';

export interface TestCa {
  dir: string;
  /** PEM file to give NODE_EXTRA_CA_CERTS. */
  certFile: string;
  keyFile: string;
}

export interface ServerCert {
  certFile: string;
  keyFile: string;
  cert: string;
  key: string;
}

function openssl(args: string[], cwd: string): void {
  execFileSync('openssl', args, { cwd, stdio: ['ignore', 'ignore', 'pipe'] });
}

/** A new CA (P-256, valid two days) in a fresh temp dir, or in `dir`. */
export function createTestCa(options: { dir?: string; name?: string } = {}): TestCa {
  const dir = options.dir ?? mkdtempSync(path.join(os.tmpdir(), 'stsx-ca-'));
  const certFile = path.join(dir, 'ca.pem');
  const keyFile = path.join(dir, 'ca.key');
  openssl([
    'req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes',
    '-keyout', keyFile, '-out', certFile, '-days', '2',
    '-subj', `/CN=${options.name ?? 'stsx test CA'}`,
    '-addext', 'basicConstraints=critical,CA:TRUE',
    '-addext', 'keyUsage=critical,keyCertSign,cRLSign',
    '-addext', 'subjectKeyIdentifier=hash',
  ], dir);
  return { dir, certFile, keyFile };
}

/** A server certificate for these DNS names (and IP addresses) signed by the CA. */
export function issueServerCert(ca: TestCa, names: string[], options: { fileName?: string } = {}): ServerCert {
  if (names.length === 0) throw new Error('issueServerCert: give at least one name');
  const base = path.join(ca.dir, options.fileName ?? (names[0] ?? 'server').replace(/[^\w.-]/g, '_'));
  const keyFile = `${base}.key`;
  const certFile = `${base}.pem`;
  const csrFile = `${base}.csr`;
  const extFile = `${base}.ext`;
  const san = names.map((n) => (isIP(n) ? `IP:${n}` : `DNS:${n}`)).join(',');
  writeFileSync(extFile, [
    `subjectAltName=${san}`,
    'basicConstraints=critical,CA:FALSE',
    'keyUsage=critical,digitalSignature',
    'extendedKeyUsage=serverAuth',
    'subjectKeyIdentifier=hash',
    'authorityKeyIdentifier=keyid,issuer',
    '',
  ].join('\n'));
  openssl(['req', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-keyout', keyFile, '-out', csrFile, '-subj', `/CN=${names[0]}`], ca.dir);
  openssl([
    'x509', '-req', '-in', csrFile, '-CA', ca.certFile, '-CAkey', ca.keyFile, '-CAcreateserial',
    '-out', certFile, '-days', '2', '-sha256', '-extfile', extFile,
  ], ca.dir);
  return { certFile, keyFile, cert: readFileSync(certFile, 'utf8'), key: readFileSync(keyFile, 'utf8') };
}
