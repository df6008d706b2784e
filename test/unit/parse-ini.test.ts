// stsx's reader against two references on random files:
// - a spec reference written here from the cross-SDK specification, as literally as it reads (split
//   into lines, parse each raw section, then normalize the names, as the Rust SDK does in two
//   stages), which the one-pass reader must match on every file, refusals and their line included;
// - the JS SDK's own loader (@smithy/core), which deviates from the spec: the two must agree on
//   every file where stsx notes no line the JS SDK reads differently.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadSharedConfigFiles } from '@smithy/core/config';
import { IniError, parseProfileFile, subPropertiesOf, type IniKind } from '../../src/config/parse-ini.ts';
import { LazyIni, surelyValid } from '../../src/config/lazy-ini.ts';
import { seeded, sectionFiles as makeSectionFiles } from '../support/ini-fuzz.ts';

type Sections = Record<string, Record<string, string>>;
interface Reference {
  profiles: Sections;
  ssoSessions: Sections;
  services: Sections;
}

const WS = [' ', '\t'];
const trim = (s: string): string => {
  let a = 0;
  let b = s.length;
  while (a < b && WS.includes(s[a] ?? '')) a += 1;
  while (b > a && WS.includes(s[b - 1] ?? '')) b -= 1;
  return s.slice(a, b);
};
const IDENT = /^[A-Za-z0-9_\-/.%@:+]+$/;

/** The spec's "prepare line": trim, cut the comment (after a blank only, for properties), trim again. */
function prepare(line: string, needBlank: boolean): string {
  const s = trim(line);
  let prevBlank = false;
  for (let i = 0; i < s.length; i += 1) {
    const ch = s[i] ?? '';
    if ((ch === '#' || ch === ';') && (prevBlank || !needBlank)) return trim(s.slice(0, i));
    prevBlank = /\s/u.test(ch) && ch !== '\ufeff';
  }
  return s;
}

/** A refusal of the reference: the spec's reason and the line. */
class Refusal extends Error {
  readonly reason: string;
  readonly line: number;
  constructor(reason: string, line: number) {
    super(reason);
    this.reason = reason;
    this.line = line;
  }
}
const refusal = (reason: string, line: number): Refusal => new Refusal(reason, line);

/** The spec, literally: throws a Refusal for a refused file. */
function reference(text: string, kind: IniKind): Reference {
  // Stage 1: raw sections by their header text, properties as written (names lower-cased).
  const raw = new Map<string, Map<string, string>>();
  let profile: string | undefined;
  let property: string | undefined;
  let sub = false;
  const lines = text.split('\n').map((l) => (l.endsWith('\r') ? l.slice(0, -1) : l));
  lines.forEach((line, i) => {
    const n = i + 1;
    if (trim(line) === '' || line.startsWith('#') || line.startsWith(';')) return;
    if (line.startsWith('[')) {
      const p = prepare(line, false);
      if (!p.endsWith(']') || p.length < 2) throw refusal("Profile definition must end with ']'", n);
      profile = p.slice(1, -1);
      if (!raw.has(profile)) raw.set(profile, new Map());
      property = undefined;
      return;
    }
    if (line.startsWith(' ') || line.startsWith('\t')) {
      if (profile === undefined) throw refusal('Expected a profile definition', n);
      if (property === undefined) throw refusal('Expected a property definition, found continuation', n);
      if (sub) {
        const p = prepare(line, true);
        const eq = p.indexOf('=');
        if (eq < 0) throw refusal("Expected an '=' sign defining a sub-property", n);
        if (trim(p.slice(0, eq)) === '') throw refusal('Sub-property did not have a name', n);
      }
      const section = raw.get(profile);
      section?.set(property, `${section.get(property) ?? ''}\n${trim(line)}`);
      return;
    }
    if (profile === undefined) throw refusal('Expected a profile definition', n);
    const p = prepare(line, true);
    const eq = p.indexOf('=');
    if (eq < 0) throw refusal("Expected an '=' sign defining a property", n);
    const name = trim(p.slice(0, eq));
    if (name === '') throw refusal('Property did not have a name', n);
    const value = trim(p.slice(eq + 1));
    property = name.replace(/[A-Z]/g, (c) => c.toLowerCase());
    sub = value === '';
    raw.get(profile)?.set(property, value);
  });
  // Stage 2: normalize names; `[profile default]` hides `[default]` in the config file.
  const out: Reference = { profiles: {}, ssoSessions: {}, services: {} };
  const keys = [...raw.keys()];
  const parsed = keys.map((k) => {
    const t = trim(k);
    const m = /^(\S+?)[ \t]+(.*)$/s.exec(t);
    const prefix = m && ['profile', 'sso-session', 'services'].includes(m[1] ?? '') ? m[1] : undefined;
    return { k, prefix, name: prefix ? trim(m?.[2] ?? '') : t };
  });
  const hasPrefixedDefault = kind === 'config' && parsed.some((p) => p.prefix === 'profile' && p.name === 'default');
  for (const { k, prefix, name } of parsed) {
    if (name === '' || !IDENT.test(name)) continue;
    let into: Sections | undefined;
    if (kind === 'credentials') into = prefix === undefined ? out.profiles : undefined;
    else if (prefix === 'profile') into = out.profiles;
    else if (prefix === undefined && name === 'default' && !hasPrefixedDefault) into = out.profiles;
    else if (prefix === 'sso-session') into = out.ssoSessions;
    else if (prefix === 'services') into = out.services;
    if (!into) continue;
    const target = (into[name] ??= {});
    for (const [key, value] of raw.get(k) ?? []) {
      if (!IDENT.test(key)) continue;
      Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
      // stsx also files a services section's sub-properties as `svc.name` (the JS SDK's shape, which it reads).
      if (into === out.services) for (const [subName, subValue] of subPropertiesOf(value)) Object.defineProperty(target, `${key}.${subName}`, { value: subValue, enumerable: true, writable: true, configurable: true });
    }
  }
  return out;
}

/** stsx's reading of a file, in the reference's shape, or the refusal as [reason, line]. */
function stsx(text: string, kind: IniKind): Reference | [string, number] {
  try {
    const p = parseProfileFile(text, kind);
    const plain = (m: Map<string, Record<string, string | undefined>>): Sections => Object.fromEntries([...m].map(([k, v]) => [k, { ...v } as Record<string, string>]));
    return { profiles: plain(p.profiles), ssoSessions: plain(p.ssoSessions), services: plain(p.services) };
  } catch (error) {
    if (error instanceof IniError) return [error.message, error.line];
    throw error;
  }
}

function ref(text: string, kind: IniKind): Reference | [string, number] {
  try {
    return reference(text, kind);
  } catch (error) {
    if (error instanceof Refusal) return [error.reason, error.line];
    throw error;
  }
}

// Lines of every shape that matters: headers with comments, blanks and odd names; properties with
// comments, odd blanks, case and empty values; continuations, sub-properties and indented comments.
const PIECES = ['[default]', '[profile a]', '[profile b] # c', '[profile b]; c', '[profile b]#c', '  [profile c]', '[services s]', '[sso-session x]', '[profile "q"]', '[weird name]',
  '[profile a b]', '[b]', '[profile default]', '[a #b]', '[b]\u00a0', '[profile a] \u3000', '[a;b]', '[profile services s]', '[profile\tx]', '[ profile x ]', '[profile \tx \t]',
  '[profilex]', '[profile x.y]', '[profile foo!bar]', '[]', '[', '[x]y', '[profile sso-session.x]', '[profile in valid]',
  'region = eu-west-1', 'k=v', 'k = v ; c', 'k = a#b', 'k = x\t#c', 'K = V', 'MFA_SERIAL = m', '  nested = 1', '\tnested=2', 'sts =', 's3 =', '  endpoint_url = http://x',
  '\u00a0k = v', 'k = v\r', 'k\u00a0= v', 'k\t=\tv', ' -continued', '  # indented comment', '  noequals', '  = x', 'k  =  v  ', 'k==v', 'a b = c d', 'k =', 'k= ', 'x = [y]',
  '# comment', '; comment', '', '   ', '=x', 'noequals', 'key =   ', 'a = b = c', 'role_arn = arn:aws:iam::123456789012:role/R', '__proto__ = x', 'in valid = v'];

function randomFiles(count: number, seed: number, lead: string[]): string[] {
  const next = seeded(seed);
  const files: string[] = [];
  for (let i = 0; i < count; i += 1) {
    const lines = next(3) === 0 ? [] : lead.slice(next(lead.length));
    for (let n = 1 + next(14); n > 0; n -= 1) lines.push(PIECES[next(PIECES.length)] ?? '');
    files.push(lines.join(next(4) === 0 ? '\r\n' : '\n') + (next(2) === 0 ? '\n' : ''));
  }
  return files;
}

test('the one-pass reader matches the spec reference on 3,000 random files, refusals and their line included', () => {
  let refused = 0;
  for (const text of randomFiles(3000, 7, ['[profile first]'])) {
    for (const kind of ['config', 'credentials'] as const) {
      const expected = ref(text, kind);
      if (Array.isArray(expected)) refused += 1;
      assert.deepEqual(stsx(text, kind), expected, `${kind} ${JSON.stringify(text)}`);
    }
  }
  // The random files exercise both outcomes.
  assert.ok(refused > 600 && refused < 5400, `${refused} of 6000 refused`);
});

// Sections of one to three lines, each from shapes the JS SDK may or may not read as the spec does.
function sectionFiles(count: number, seed: number): string[] {
  return makeSectionFiles(count, seed, {
    headers: ['[default]', '[profile a]', '[profile b] # c', '[profile b]; c', '[b]', '[profile default]', '[profile "q"]', '[profile\tx]', '[ profile x ]', '[profile x.y]', '[profile a b]', '[sso-session x]', '[services s]', '[weird name]', '[profilex]'],
    lines: ['region = eu-west-1', 'k=v', 'k = v ; c', 'k = a#b', 'K = V', 'MFA_SERIAL = m', '  nested = 1', 'sts =', '  endpoint_url = http://x', ' -continued', 'k =', 'a b = c d', 'x = [y]', '# comment', '', 'k\t=\tv', 'k = v\u00a0', 'k\u00a0= v'],
    crlf: true,
  });
}

test('where stsx notes no line the JS SDK reads differently, the JS SDK reads the same profiles', async () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'stsx-ini-js-'));
  let compared = 0;
  let noted = 0;
  let i = 0;
  for (const text of sectionFiles(1500, 11)) {
    i += 1;
    const mine = { config: stsx(text, 'config'), credentials: stsx(text, 'credentials') };
    if (Array.isArray(mine.config) || Array.isArray(mine.credentials)) continue;
    const js = (kind: IniKind): boolean => parseProfileFile(text, kind).notes.some((n) => n.text.includes('JS SDK'));
    const file = path.join(dir, `f${i}`);
    writeFileSync(file, text);
    const sdk = await loadSharedConfigFiles({ configFilepath: file, filepath: file, ignoreCache: true });
    const sdkJson = JSON.parse(JSON.stringify(sdk)) as { configFile: Sections; credentialsFile: Sections };
    // The SDK's config view files sso-sessions and services under prefixed names: profiles only here.
    const sdkProfiles = (sections: Sections): Sections => Object.fromEntries(Object.entries(sections).filter(([k]) => !/^(sso-session|services)\./.test(k)));
    for (const kind of ['config', 'credentials'] as const) {
      const mineKind = mine[kind] as Reference;
      const theirs = kind === 'config' ? sdkProfiles(sdkJson.configFile) : sdkJson.credentialsFile;
      if (js(kind)) {
        noted += 1;
        continue;
      }
      // The same sub-properties, in the JS SDK's shape (`s3.name`) rather than the spec's (a value of lines).
      const jsShape = (sections: Sections): Sections => Object.fromEntries(Object.entries(sections).map(([name, section]) => [name, Object.fromEntries(Object.entries(section).flatMap(([k, v]) => (v.startsWith('\n') ? [...subPropertiesOf(v)].map(([sub, sv]) => [`${k}.${sub}`, sv]) : [[k, v]])))]));
      assert.deepEqual(jsShape(mineKind.profiles), theirs, `${kind} ${JSON.stringify(text)}`);
      compared += 1;
    }
  }
  assert.ok(compared > 300 && noted > 300, `${compared} compared, ${noted} with notes`);
});

test('sub-properties: the spec keeps them in the value; services sections also give `svc.name`', () => {
  const p = parseProfileFile('[profile a]\ns3 =\n  Endpoint_URL = http://x\n  other = y\n[services s]\nsts =\n  endpoint_url = http://sts\n', 'config');
  assert.equal(p.profiles.get('a')?.s3, '\nEndpoint_URL = http://x\nother = y');
  assert.deepEqual([...subPropertiesOf(p.profiles.get('a')?.s3 ?? '')], [['endpoint_url', 'http://x'], ['other', 'y']]);
  assert.deepEqual({ ...p.services.get('s') }, { sts: '\nendpoint_url = http://sts', 'sts.endpoint_url': 'http://sts' });
});

// Hostile input: a line of 300,000 `]`, `#` or `=` is read once, not once per character.
test('long lines of comment characters, brackets and equals signs are read in one pass', () => {
  for (const ch of [']', '#', ';', '=', ' ']) {
    const text = `[profile a]\nk = ${ch.repeat(300_000)}\n[profile b]\nk = v\n${ch === ' ' ? '' : `${ch.repeat(300_000)}\n`}`;
    const result = stsx(text, 'config');
    if (!Array.isArray(result)) assert.deepEqual(result.profiles.b, { k: 'v' });
  }
});

// The lazy reader (a few regular expressions clear the whole file, then one profile is read from
// its own sections): a file it clears must be one the full parse accepts, and every section it
// gives, asked one by one, must be the full parse's.
test('the lazy reader clears only files the spec accepts, and reads each profile as the full parse does', () => {
  let cleared = 0;
  const json = (v: unknown): unknown => (v === undefined ? undefined : JSON.parse(JSON.stringify(v)));
  for (const text of [...randomFiles(3000, 13, ['[profile first]']), ...sectionFiles(1000, 17)]) {
    for (const kind of ['config', 'credentials'] as const) {
      if (!surelyValid(text)) continue;
      cleared += 1;
      const full = parseProfileFile(text, kind);
      const lazy = new LazyIni(text, kind);
      const names = new Set(['default', 'a', 'b', 'x', 'q', 'x.y', 'first', 'nope', 'weird name', 's', 'profile', 'in valid', ...full.profiles.keys()]);
      for (const name of names) assert.deepEqual(json(lazy.get('profile', name)), json(full.profiles.get(name)), `${kind} ${name} ${JSON.stringify(text)}`);
      for (const name of ['x', 's', 'nope']) {
        assert.deepEqual(json(lazy.get('sso-session', name)), json(full.ssoSessions.get(name)), `${kind} sso-session ${name} ${JSON.stringify(text)}`);
        assert.deepEqual(json(lazy.get('services', name)), json(full.services.get(name)), `${kind} services ${name} ${JSON.stringify(text)}`);
      }
    }
  }
  assert.ok(cleared > 1000, `${cleared} files cleared`);
});

test('the lazy reader looks a name up in bounded time on a line of 300,000 copies of it', () => {
  const text = `[profile a]\nk = ${'p1]'.repeat(300_000)}\n[profile p1]\nk = v\n`;
  const started = performance.now();
  assert.ok(surelyValid(text));
  assert.deepEqual({ ...new LazyIni(text, 'config').get('profile', 'p1') }, { k: 'v' });
  assert.ok(performance.now() - started < 5000, `took ${(performance.now() - started).toFixed(0)} ms`);
});
