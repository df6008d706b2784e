// The layer map of src/, as a table of which part may import which, enforced whole: every relative
// import of every file (type-only imports too) must be allowed by the table, no files import each
// other in a circle, and no command imports another command. The table itself must be a layering
// (no part reaches, through the table, back to itself). docs/development.md explains the layers.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const SRC = fileURLToPath(new URL('../../src/', import.meta.url));
const IMPORT = /(?:^|\n)\s*(?:import|export)\s(?:[^'";]*?\sfrom\s)?\s*'([^']+)'|import\(\s*'([^']+)'\s*\)/g;

/**
 * Which part may import which, from the top down. A part is a folder (`commands`) or a file
 * (`cli.ts`); a file belongs to the longest part that names it. A part may always import itself.
 */
const ALLOWED: ReadonlyArray<readonly [part: string, mayImport: readonly string[]]> = [
  ['main.ts', ['cli.ts', 'quick-main.ts', 'early-cache-hit.ts', 'hit-main.ts', 'sts-main.ts', 'process-deps.ts', 'process-runners.ts', 'route.ts', 'console', 'exec', 'input', 'output', 'files', 'text', 'errors.ts', 'deps.ts', 'version.ts']],
  // The entry paths: the full CLI, the quick bundle, the early cache hit, and the hit's own one-file bundle.
  ['hit-main.ts', ['early-cache-hit.ts', 'route.ts', 'issue', 'process-deps.ts', 'output', 'deps.ts']],
  // The single executable's main script: the router of its bundles (bin/stsx.js for the npm package).
  ['sea-main.ts', ['route.ts', 'version.ts', 'cache', 'files']],
  // The plain STS commands' one-file bundle, and what it runs.
  ['sts-main.ts', ['early-sts.ts', 'route.ts', 'process-deps.ts', 'process-runners.ts', 'output', 'deps.ts']],
  ['early-sts.ts', ['early-cache-hit.ts', 'early-flags.ts', 'commands', 'steps', 'flags.ts', 'output', 'settings', 'text', 'diagnostics.ts', 'errors.ts', 'deps.ts', 'route.ts']],
  // The Deps of a real run, shared by main.ts, hit-main.ts and sts-main.ts, and what starts programs in it.
  ['process-deps.ts', ['input', 'files', 'deps.ts']],
  ['process-runners.ts', ['console', 'exec', 'deps.ts']],
  // The plain form of a command line, from the flags' declarations.
  ['early-flags.ts', ['flags.ts']],
  // The three entry paths: the full CLI, the quick bundle, the early cache hit.
  ['cli.ts', ['commands', 'steps', 'flags.ts', 'debug-frames.ts', 'assume', 'completion', 'output', 'text', 'diagnostics.ts', 'errors.ts', 'deps.ts', 'version.ts']],
  ['quick-main.ts', ['commands', 'route.ts', 'completion', 'output', 'diagnostics.ts', 'diagnostic-lines.ts', 'files', 'errors.ts', 'deps.ts']],
  ['early-cache-hit.ts', ['commands', 'steps', 'flags.ts', 'early-flags.ts', 'assume', 'issue', 'output', 'settings', 'diagnostics.ts', 'errors.ts', 'deps.ts']],
  // The flags several commands share, declared once (cli.ts mounts them, the early cache hit reads them).
  ['flags.ts', ['assume', 'input', 'output']],
  // One file per command; a command composes the parts below and never imports another command.
  ['commands', ['steps', 'sso', 'keys', 'assume', 'issue', 'console', 'exec', 'profiles', 'status', 'completion', 'endpoint-check', 'input', 'output', 'credentials', 'web-identity', 'sts', 'settings', 'endpoint', 'cache', 'config', 'names', 'text', 'errors.ts', 'deps.ts', 'diagnostics.ts']],
  // The steps commands share: the command context, cache use, MFA, printing or writing credentials.
  ['steps', ['sso', 'keys', 'assume', 'issue', 'web-identity', 'credentials', 'input', 'output', 'sts', 'settings', 'endpoint', 'cache', 'config', 'names', 'text', 'errors.ts', 'deps.ts', 'diagnostics.ts']],
  // IAM Identity Center: sign-in, the shared token cache, role credentials, populate.
  ['sso', ['cache', 'config', 'files', 'sts', 'text', 'errors.ts', 'deps.ts', 'diagnostics.ts']],
  // Long-term keys in the OS keyring or an encrypted file (stsx keys), and stsx's own credential_process line.
  ['keys', ['cache', 'files', 'text', 'errors.ts', 'deps.ts']],
  ['assume', ['issue', 'credentials', 'settings', 'config', 'names', 'errors.ts', 'deps.ts']],
  ['console', ['sts', 'text', 'deadline.ts', 'errors.ts', 'version.ts', 'node-builtin.ts']],
  ['exec', ['output', 'text', 'errors.ts', 'deps.ts']],
  ['profiles', ['credentials', 'cache', 'config', 'text', 'errors.ts', 'deps.ts']],
  ['status', ['output', 'cache', 'text', 'errors.ts', 'deps.ts']],
  ['completion', ['output', 'config', 'names', 'deps.ts']],
  // The endpoint diagnosis (stsx endpoint --check) sits above sts/: it uses its DNS lookup and limits.
  ['endpoint-check', ['sts', 'settings', 'endpoint', 'config', 'text', 'errors.ts', 'deps.ts']],
  ['input', ['credentials', 'config', 'sts', 'names', 'text', 'errors.ts', 'deps.ts', 'node-builtin.ts']],
  ['output', ['sts', 'text', 'errors.ts', 'deps.ts']],
  // Credential sources: one provider per kind; a role hop and a web identity issue through issue/.
  ['credentials', ['keys', 'web-identity', 'issue', 'sts', 'settings', 'endpoint', 'cache', 'config', 'text', 'errors.ts', 'deps.ts']],
  ['web-identity', ['issue', 'sts', 'endpoint', 'errors.ts', 'deps.ts']],
  // One issuer per STS call over an open session, and the caching wrapper around any issuer.
  ['issue', ['sts', 'cache', 'files', 'names', 'text', 'errors.ts']],
  // The only code that builds STS clients and sends commands.
  ['sts', ['settings', 'endpoint', 'config', 'text', 'deadline.ts', 'errors.ts', 'deps.ts', 'node-builtin.ts']],
  ['settings', ['endpoint', 'config', 'deps.ts']],
  ['cache', ['endpoint', 'config', 'files', 'names', 'text', 'errors.ts', 'deps.ts']],
  ['endpoint', ['config', 'errors.ts', 'deps.ts']],
  ['config', ['files', 'names', 'text', 'errors.ts', 'deps.ts', 'node-builtin.ts']],
  // The bottom: small pieces anything may use.
  ['diagnostics.ts', ['diagnostic-lines.ts', 'text', 'deps.ts']],
  ['diagnostic-lines.ts', ['text']],
  ['deadline.ts', ['errors.ts']],
  ['names', ['text', 'errors.ts']],
  ['files', ['errors.ts', 'deps.ts']],
  ['errors.ts', ['text']],
  ['text', []],
  ['deps.ts', []],
  ['version.ts', []],
  // Source-mapped --debug frames of the single binary.
  ['debug-frames.ts', []],
  // Which entry answers an argv (the launcher keeps its own copy of the first-word check, tested equal).
  ['route.ts', []],
  ['node-builtin.ts', []],
];
const TABLE = new Map(ALLOWED.map(([part, may]) => [part, new Set(may)]));

function partOf(file: string): string | undefined {
  let best: string | undefined;
  for (const part of TABLE.keys()) {
    if ((file === part || file.startsWith(`${part}/`)) && (best === undefined || part.length > best.length)) best = part;
  }
  return best;
}

function sourceFiles(dir = ''): string[] {
  return readdirSync(path.join(SRC, dir)).flatMap((name) => {
    const rel = dir ? `${dir}/${name}` : name;
    if (statSync(path.join(SRC, rel)).isDirectory()) return sourceFiles(rel);
    return name.endsWith('.ts') ? [rel] : [];
  });
}

/** Every relative import of every .ts file under src/, as paths under src/ (type-only ones too). */
function allImports(): Map<string, string[]> {
  const graph = new Map<string, string[]>();
  for (const file of sourceFiles()) {
    const targets: string[] = [];
    for (const m of readFileSync(path.join(SRC, file), 'utf8').matchAll(IMPORT)) {
      const spec = m[1] ?? m[2] ?? '';
      if (spec.startsWith('.')) targets.push(path.relative(SRC, path.resolve(path.dirname(path.join(SRC, file)), spec)).split(path.sep).join('/'));
    }
    graph.set(file, [...new Set(targets)]);
  }
  return graph;
}

/** The strongly connected groups of more than one file (or a file importing itself): import circles. */
function circles(graph: Map<string, string[]>): string[][] {
  let counter = 0;
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const found: string[][] = [];
  const visit = (v: string): void => {
    index.set(v, counter);
    low.set(v, counter);
    counter += 1;
    stack.push(v);
    onStack.add(v);
    for (const w of graph.get(v) ?? []) {
      if (!graph.has(w)) continue;
      if (!index.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v) ?? 0, low.get(w) ?? 0));
      } else if (onStack.has(w)) {
        low.set(v, Math.min(low.get(v) ?? 0, index.get(w) ?? 0));
      }
    }
    if (low.get(v) === index.get(v)) {
      const group: string[] = [];
      let w: string | undefined;
      do {
        w = stack.pop();
        if (w === undefined) break;
        onStack.delete(w);
        group.push(w);
      } while (w !== v);
      if (group.length > 1 || (graph.get(v) ?? []).includes(v)) found.push(group.sort());
    }
  };
  for (const v of graph.keys()) if (!index.has(v)) visit(v);
  return found;
}

const graph = allImports();
const edges = [...graph].flatMap(([file, targets]) => targets.map((target) => ({ file, target })));
const upward = edges.filter(({ file, target }) => {
  const from = partOf(file);
  const to = partOf(target);
  return from === undefined || to === undefined || (from !== to && !(TABLE.get(from)?.has(to) ?? false));
});
const commandToCommand = edges.filter(({ file, target }) => file.startsWith('commands/') && target.startsWith('commands/'));
const fileCircles = circles(graph);

test('the layer map: every import allowed, no circles, no command importing a command', () => {
  console.log(`layers: ${graph.size} files, ${edges.length} imports; ${upward.length} upward imports, ${fileCircles.length} circles, ${commandToCommand.length} command-to-command imports`);
  assert.deepEqual(sourceFiles().filter((f) => partOf(f) === undefined), [], 'every file of src/ belongs to a part of the table');
  assert.deepEqual(upward.map(({ file, target }) => `${file} -> ${target}`), [], 'imports the table does not allow');
  assert.deepEqual(fileCircles, [], 'import circles');
  assert.deepEqual(commandToCommand.map(({ file, target }) => `${file} -> ${target}`), [], 'a command imports another command');
});

test('the table is a layering: no part reaches itself through it', () => {
  const tableGraph = new Map([...TABLE].map(([part, may]) => [part, [...may]]));
  assert.deepEqual(circles(tableGraph), []);
  for (const [part, may] of TABLE) for (const target of may) assert.ok(TABLE.has(target), `${part} names ${target}, which is not a part`);
});

test('commands/ holds commands only: each file exports a run function', () => {
  const notCommands = sourceFiles('commands').filter((f) => !/export (?:async )?function run[A-Z]/.test(readFileSync(path.join(SRC, f), 'utf8')));
  assert.deepEqual(notCommands, []);
});
