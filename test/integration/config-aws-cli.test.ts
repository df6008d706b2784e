// stsx's notes against the AWS CLI's own reader (botocore, on this machine with boto3): on every
// random file stsx reads without a note naming the AWS CLI, botocore reads the same profiles; and
// every kind of line stsx says the AWS CLI reads differently is read differently by botocore.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { IniError, parseProfileFile, subPropertiesOf, type IniKind } from '../../src/config/parse-ini.ts';
import { ROOT } from '../support/run-cli.ts';
import { sectionFiles as makeSectionFiles } from '../support/ini-fuzz.ts';

type Profiles = Record<string, Record<string, unknown>>;

function botocore(texts: string[]): Array<Record<IniKind, Profiles | 'refused'>> {
  const r = spawnSync('python3', [path.join(ROOT, 'test/fixtures/profile-spec/botocore-read.py')], { input: JSON.stringify(texts), encoding: 'utf8', maxBuffer: 64 * 1024 * 1024, timeout: 120_000 });
  assert.equal(r.status, 0, r.stderr);
  return JSON.parse(r.stdout) as Array<Record<IniKind, Profiles | 'refused'>>;
}

/** stsx's profiles in botocore's shape (sub-properties as an object), its notes naming the AWS CLI, or 'refused'. */
function stsx(text: string, kind: IniKind): { profiles: Profiles; cliNotes: string[] } | 'refused' {
  try {
    const p = parseProfileFile(text, kind);
    const profiles: Profiles = {};
    for (const [name, section] of p.profiles) {
      const out: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(section)) if (v !== undefined) out[k] = v.startsWith('\n') ? Object.fromEntries(subPropertiesOf(v)) : v;
      profiles[name] = out;
    }
    return { profiles, cliNotes: p.notes.filter((n) => n.text.includes('AWS CLI')).map((n) => n.text) };
  } catch (error) {
    if (error instanceof IniError) return 'refused';
    throw error;
  }
}

function sectionFiles(count: number, seed: number): string[] {
  return makeSectionFiles(count, seed, {
    headers: ['[default]', '[profile a]', '[profile b] # c', '[profile b]; c', '[b]', '[profile default]', '[profile "q"]', '[profile\tx]', '[ profile x ]', '[profile x.y]', '[profile a b]', '[weird name]', '[profile foo!bar]'],
    lines: ['region = eu-west-1', 'k=v', 'k = v ; c', 'k = a#b', 'K = V', 'MFA_SERIAL = m', ' -continued', 'k =', 'a b = c d', 'x = [y]', '# comment', '', 'k\t=\tv', 'j = w # note'],
  });
}

test('where stsx notes nothing about the AWS CLI, botocore reads the same profiles; where it does, botocore differs', () => {
  const texts = sectionFiles(1500, 5);
  const theirs = botocore(texts);
  let same = 0;
  let noted = 0;
  texts.forEach((text, i) => {
    for (const kind of ['config', 'credentials'] as const) {
      const mine = stsx(text, kind);
      const cli = theirs[i]?.[kind];
      if (mine === 'refused') continue;
      if (mine.cliNotes.length > 0) {
        noted += 1;
        continue;
      }
      assert.deepEqual(mine.profiles, cli, `${kind} ${JSON.stringify(text)}`);
      same += 1;
    }
  });
  assert.ok(same > 250 && noted > 250, `${same} compared, ${noted} noted`);
});

test('each kind of line noted as read differently by the AWS CLI is read differently by botocore', () => {
  const cases: Array<[IniKind, string]> = [
    ['config', '[profile a]\nk = v # c\n'],
    ['config', '[profile a]\nk = 1\n[profile a]\nj = 2\n'],
    ['config', '[profile a]\nk = 1\nk = 2\n'],
    ['config', '[profile default]\nk = 1\n[default]\nk = 2\n'],
    ['config', '[   profile foo    ]\nk = 1\n'],
    ['config', '[profile "q"]\nk = 1\n'],
    ['config', '[profile foo!bar]\nk = 1\n'],
    ['config', '[profile a]\nin valid = v\n'],
    ['config', '[profile a]\nk = v\n  # note\n'],
    ['credentials', '[profile foo]\nk = v\n'],
    ['credentials', '[in valid 2]\nk = v\n'],
  ];
  const theirs = botocore(cases.map(([, text]) => text));
  cases.forEach(([kind, text], i) => {
    const mine = stsx(text, kind);
    assert.notEqual(mine, 'refused', text);
    if (mine === 'refused') return;
    assert.ok(mine.cliNotes.length > 0, `no AWS CLI note for ${JSON.stringify(text)}`);
    assert.notDeepEqual(mine.profiles, theirs[i]?.[kind], `${kind} ${JSON.stringify(text)}`);
  });
});
