// The page the browser opener gets instead of the sign-in URL: private, forwarding to exactly the
// URL (nothing in it can break out of the attribute or the script), and removed later by a
// process that outlives stsx.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { setTimeout as sleep } from 'node:timers/promises';
import { handoffPage, scheduleRemoval, writeHandoff } from '../../src/console/browser-handoff.ts';

test('the page forwards to the URL by meta refresh and location.replace, escaped for both', () => {
  const url = 'https://signin.aws.amazon.com/federation?Action=login&Issuer=stsx&Destination=https%3A%2F%2Fx&SigninToken=a"b</script><x>';
  const page = handoffPage(url);
  assert.ok(page.includes('content="0;url=https://signin.aws.amazon.com/federation?Action=login&amp;Issuer=stsx&amp;Destination=https%3A%2F%2Fx&amp;SigninToken=a&quot;b&lt;/script&gt;&lt;x&gt;"'));
  const script = /<script>location\.replace\((.*)\);<\/script>/.exec(page)?.[1] ?? '';
  assert.equal(JSON.parse(script), url);
  assert.equal(page.match(/<\/script>/g)?.length, 1, 'nothing in the URL closes the script');
});

test('writeHandoff: a 0600 page in a new 0700 directory; scheduleRemoval removes the directory later', async () => {
  const tmp = mkdtempSync(path.join(os.tmpdir(), 'handoff-test-'));
  const { fileUrl, dir } = writeHandoff('https://example.com/?SigninToken=secret', tmp);
  const file = fileURLToPath(fileUrl);
  assert.equal(path.dirname(file), dir);
  assert.equal(statSync(file).mode & 0o777, 0o600);
  assert.equal(statSync(dir).mode & 0o777, 0o700);
  assert.match(readFileSync(file, 'utf8'), /SigninToken=secret/);
  scheduleRemoval(dir, 1);
  for (let i = 0; i < 200 && existsSync(dir); i += 1) await sleep(50);
  assert.equal(existsSync(dir), false, 'removed by the detached process');
});
