// 32 processes miss, put and read one cache key at once, as 32 parallel CI jobs would. Every read
// must see nothing or one complete written value (atomic temp-file-and-rename), and the file left
// at the end must be one of the written values.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseEntry } from '../../src/cache/cache-entry.ts';
import { describe, RACE_KEY, type RaceRead } from '../fixtures/cache/race-worker.ts';

const WORKER = fileURLToPath(new URL('../fixtures/cache/race-worker.ts', import.meta.url));
const WORKERS = 32;
const ROUNDS = 10;

interface Report {
  reads: RaceRead[];
  debugs: string[];
  warnings: string[];
}

test(`${WORKERS} processes racing on one key never see a torn or mixed entry`, { timeout: 120_000 }, async () => {
  const dir = path.join(mkdtempSync(path.join(os.tmpdir(), 'stsx-race-')), 'stsx');
  const children = Array.from({ length: WORKERS }, (_, w) =>
    spawn(process.execPath, [WORKER, dir, String(w), String(ROUNDS)], { stdio: ['pipe', 'pipe', 'pipe'] }),
  );
  const outputs = children.map((child) => {
    let out = '';
    let err = '';
    let onReady: () => void = () => undefined;
    const ready = new Promise<void>((resolve) => (onReady = resolve));
    child.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      if (out.startsWith('ready\n')) onReady();
    });
    child.stderr.on('data', (chunk: Buffer) => (err += chunk.toString()));
    const done = new Promise<Report>((resolve, reject) =>
      child.on('close', (code) => (code === 0 ? resolve(JSON.parse(out.slice('ready\n'.length)) as Report) : reject(new Error(`worker exited ${code}: ${err}`)))),
    );
    return { ready, done };
  });
  // Start them together only once all are loaded, so the puts and reads really overlap.
  await Promise.all(outputs.map((o) => o.ready));
  for (const child of children) child.stdin.end('go\n');
  const reports = await Promise.all(outputs.map((o) => o.done));

  const reads = reports.flatMap((r) => r.reads);
  assert.equal(reads.length, WORKERS * ROUNDS * 3);
  const invalid = reads.filter((r) => r.id !== null && !/^\d{6}$/.test(r.id));
  assert.deepEqual(invalid, [], 'every read is nothing or one complete written value');
  // get() would hide a torn file as a miss; its debug line ("ignoring ...") would give it away.
  assert.deepEqual(reports.flatMap((r) => r.debugs.filter((d) => d.startsWith('ignoring'))), []);
  assert.deepEqual(reports.flatMap((r) => r.warnings), []);
  const hits = reads.filter((r) => r.via === 'get' && r.id !== null).length;
  assert.ok(hits >= WORKERS * ROUNDS, `reads after a put find an entry (${hits})`);

  const parsed = parseEntry(readFileSync(path.join(dir, `${RACE_KEY}.json`), 'utf8'));
  assert.ok(parsed.ok, 'the final file parses');
  assert.match(describe(parsed.entry), /^\d{6}$/, 'the final file is one of the written values');
  assert.deepEqual(readdirSync(dir), [`${RACE_KEY}.json`], 'no temp file is left behind');
});
