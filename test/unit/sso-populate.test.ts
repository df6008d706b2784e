// The pure part of `stsx sso populate`: names from the template, the block stsx owns spliced in
// with every byte outside it kept, and the plan (added, changed, removed, stale, skipped).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cleanProfileName, findBlock, markers, planDiff, planProfiles, profileName, spliceBlock, type Assignment } from '../../src/sso/populate.ts';

const opts = { sessionName: 'corp', template: '{account_name}/{role_name}', prefix: '', region: 'eu-west-1', prune: false };
const a = (accountId: string, accountName: string, roleName: string): Assignment => ({ accountId, accountName, roleName });

test('profile names are cleaned to what every AWS tool reads back', () => {
  const cases: [string, string][] = [
    ['prod team/Admin', 'prod-team/Admin'],
    ['a]b[c;d#e', 'a-b-c-d-e'],
    ['  spaced\tout  ', 'spaced-out'],
    ['ünïcode', 'n-code'],
    ['ok.name_1+=,@:-/x', 'ok.name_1+-@:-/x'],
    ['__proto__', 'proto__'],
  ];
  for (const [raw, clean] of cases) assert.equal(cleanProfileName(raw), clean, raw);
  assert.equal(profileName(a('111122223333', 'Dev Team', 'Admin'), { ...opts, template: '{session}-{account_id}-{role_name}', prefix: 'x:' }), 'x:corp-111122223333-Admin');
});

test('the block is appended to a file without a final newline, and replaced later with every other byte kept', () => {
  const original = '[profile mine]\nregion = us-east-1 ; comment kept';
  const plan = planProfiles([a('111122223333', 'dev', 'Admin')], undefined, new Set(['mine']), opts);
  const once = spliceBlock(original, undefined, plan, 'corp');
  assert.ok(once.startsWith(`${original}\n\n${markers('corp').begin}\n[profile dev/Admin]\n`));
  const withTail = `${once}\n# after the block\n[profile tail]\nregion = x`;
  const block = findBlock(withTail.split('\n'), 'corp');
  assert.ok(block && block !== 'unterminated');
  const next = planProfiles([a('111122223333', 'dev', 'Admin'), a('444455556666', 'prod', 'Ops')], block, new Set(['mine', 'tail']), opts);
  assert.deepEqual([next.added, next.changed, next.removed], [['prod/Ops'], [], []]);
  const twice = spliceBlock(withTail, block, next, 'corp');
  assert.ok(twice.startsWith(`${original}\n\n`));
  assert.ok(twice.endsWith('\n# after the block\n[profile tail]\nregion = x'), 'the bytes after the block, no newline added');
  assert.equal((twice.match(/# >>> stsx sso populate/g) ?? []).length, 1);
});

test('stale profiles are kept unless --prune, names taken outside the block are skipped, duplicates get the account id', () => {
  const text = spliceBlock('', undefined, planProfiles([a('1', 'dev', 'Admin'), a('2', 'dev', 'Admin')], undefined, new Set(), opts), 'corp');
  assert.match(text, /\[profile dev\/Admin\]/);
  assert.match(text, /\[profile dev\/Admin-2\]/);
  const block = findBlock(text.split('\n'), 'corp');
  assert.ok(block && block !== 'unterminated');
  const kept = planProfiles([a('1', 'dev', 'Admin')], block, new Set(), opts);
  assert.deepEqual(kept.stale, ['dev/Admin-2']);
  assert.deepEqual(kept.removed, []);
  const pruned = planProfiles([a('1', 'dev', 'Admin')], block, new Set(), { ...opts, prune: true });
  assert.deepEqual(pruned.removed, ['dev/Admin-2']);
  assert.match(planDiff('cfg', block, pruned), /@@ \[profile dev\/Admin-2\] @@\n-\[profile dev\/Admin-2\]\n-sso_session = corp\n/);
  const skipped = planProfiles([a('1', 'dev', 'Admin')], undefined, new Set(['dev/Admin']), opts);
  assert.deepEqual(skipped.skipped, ['dev/Admin']);
  assert.equal(skipped.profiles.length, 0);
});

test('a name no AWS tool reads back as written is refused, not generated', async () => {
  const { isWritableProfileName } = await import('../../src/config/write-profile.ts');
  const plan = planProfiles([a('1', 'dev', 'constructor'), a('1', 'dev', 'Admin')], undefined, new Set(), { ...opts, template: '{role_name}' }, isWritableProfileName);
  assert.deepEqual(plan.refused, ['constructor']);
  assert.deepEqual(plan.profiles.map((p) => p.name), ['Admin']);
});

test('a begin marker without its end is reported, not guessed', () => {
  assert.equal(findBlock([markers('corp').begin, '[profile x]'], 'corp'), 'unterminated');
  assert.equal(findBlock(['[profile x]'], 'corp'), undefined);
});
