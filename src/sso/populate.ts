// `stsx sso populate`, the pure part: profile names from a template, the block of the config file
// stsx owns (between two marker lines, one block per sso-session), spliced in with every byte
// outside it kept, and the change shown as a diff of profiles.

export interface Assignment {
  accountId: string;
  accountName: string;
  roleName: string;
}

export interface PopulateOptions {
  sessionName: string;
  /** `{account_name}`, `{account_id}`, `{role_name}`, `{session}` are replaced. */
  template: string;
  prefix: string;
  region: string | undefined;
  prune: boolean;
}

export const DEFAULT_TEMPLATE = '{account_name}/{role_name}';

interface GeneratedProfile {
  name: string;
  accountId: string;
  roleName: string;
  /** The lines of its section, header first. */
  lines: string[];
}

/**
 * What a profile name may hold so that every AWS tool reads it back: no whitespace (the spec trims
 * it, the AWS CLI keeps it), no `]`, `[`, `;`, `#` (comment and header syntax), nothing outside
 * printable ASCII. Runs of anything else become one `-`.
 */
export function cleanProfileName(name: string): string {
  // The characters of every profile name stsx writes (config/write-profile.ts), starting with a letter or digit.
  return name.replace(/[^A-Za-z0-9_+.@/:-]+/g, '-').replace(/^[^A-Za-z0-9]+|-+$/g, '');
}

export function profileName(a: Assignment, options: Pick<PopulateOptions, 'template' | 'prefix' | 'sessionName'>): string {
  const filled = options.template.replace(/\{(account_name|account_id|role_name|session)\}/g, (_, key: string) =>
    key === 'account_name' ? a.accountName : key === 'account_id' ? a.accountId : key === 'role_name' ? a.roleName : options.sessionName,
  );
  return cleanProfileName(`${options.prefix}${filled}`);
}

export function markers(sessionName: string): { begin: string; end: string } {
  return {
    begin: `# >>> stsx sso populate: sso-session ${sessionName} (generated: edits between these lines are replaced) >>>`,
    end: `# <<< stsx sso populate: sso-session ${sessionName} <<<`,
  };
}

export interface Block {
  /** Index of the begin line and of the end line in `lines` (the end line is part of the block). */
  start: number;
  end: number;
  /** Generated profiles found in the block, by name. */
  profiles: Map<string, { accountId: string; roleName: string; lines: string[] }>;
}

/** The block of this session in the file's lines, or undefined. A begin without its end is an error the caller reports. */
export function findBlock(lines: readonly string[], sessionName: string): Block | undefined | 'unterminated' {
  const { begin, end } = markers(sessionName);
  const start = lines.findIndex((l) => l.trimEnd() === begin);
  if (start < 0) return undefined;
  let stop = -1;
  for (let i = start + 1; i < lines.length; i += 1) {
    if (lines[i]?.trimEnd() === end) {
      stop = i;
      break;
    }
  }
  if (stop < 0) return 'unterminated';
  const profiles = new Map<string, { accountId: string; roleName: string; lines: string[] }>();
  let current: { name: string; accountId: string; roleName: string; lines: string[] } | undefined;
  const flush = (): void => {
    if (current) profiles.set(current.name, { accountId: current.accountId, roleName: current.roleName, lines: current.lines });
  };
  for (let i = start + 1; i < stop; i += 1) {
    const line = lines[i] ?? '';
    const header = /^\[profile ([^\]]+)\]$/.exec(line.trim());
    if (header?.[1] !== undefined) {
      flush();
      current = { name: header[1], accountId: '', roleName: '', lines: [line] };
      continue;
    }
    if (!current) continue;
    if (line.trim() !== '') current.lines.push(line);
    const kv = /^\s*(sso_account_id|sso_role_name)\s*=\s*(.*?)\s*$/.exec(line);
    if (kv?.[1] === 'sso_account_id') current.accountId = kv[2] ?? '';
    if (kv?.[1] === 'sso_role_name') current.roleName = kv[2] ?? '';
  }
  flush();
  return { start, end: stop, profiles };
}

export interface Plan {
  profiles: GeneratedProfile[];
  added: string[];
  removed: string[];
  changed: string[];
  /** Generated profiles whose account or role is gone, kept because --prune was not given. */
  stale: string[];
  /** Names a profile outside the block already has: the user's own wins. */
  skipped: string[];
  /** Names no AWS tool would read back as written (`__proto__`, `constructor`, ...): not generated. */
  refused: string[];
}

export function planProfiles(assignments: readonly Assignment[], existing: Block | undefined, taken: ReadonlySet<string>, options: PopulateOptions, writable: (name: string) => boolean = () => true): Plan {
  const byName = new Map<string, GeneratedProfile>();
  const skipped: string[] = [];
  const refused: string[] = [];
  const sorted = [...assignments].sort((a, b) => a.accountName.localeCompare(b.accountName) || a.accountId.localeCompare(b.accountId) || a.roleName.localeCompare(b.roleName));
  for (const a of sorted) {
    let name = profileName(a, options);
    // Two accounts of one name: the account id tells them apart.
    if (byName.has(name)) name = cleanProfileName(`${name}-${a.accountId}`);
    if (name === '' || byName.has(name)) continue;
    if (!writable(name)) {
      refused.push(name);
      continue;
    }
    if (taken.has(name)) {
      skipped.push(name);
      continue;
    }
    const lines = [`[profile ${name}]`, `sso_session = ${options.sessionName}`, `sso_account_id = ${a.accountId}`, `sso_role_name = ${a.roleName}`];
    if (options.region !== undefined) lines.push(`region = ${options.region}`);
    byName.set(name, { name, accountId: a.accountId, roleName: a.roleName, lines });
  }
  const stale: string[] = [];
  if (existing && !options.prune) {
    for (const [name, old] of existing.profiles) {
      if (byName.has(name) || taken.has(name)) continue;
      stale.push(name);
      byName.set(name, { name, accountId: old.accountId, roleName: old.roleName, lines: old.lines });
    }
  }
  const profiles = [...byName.values()].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  const before = existing?.profiles ?? new Map<string, { lines: string[] }>();
  const added = profiles.filter((p) => !before.has(p.name)).map((p) => p.name);
  const changed = profiles.filter((p) => before.has(p.name) && before.get(p.name)?.lines.join('\n') !== p.lines.join('\n')).map((p) => p.name);
  const removed = [...before.keys()].filter((n) => !byName.has(n));
  return { profiles, added, removed, changed, stale, skipped, refused };
}

/** The file's text with this session's block replaced (or appended), every byte outside it kept. */
export function spliceBlock(text: string, block: Block | undefined, plan: Plan, sessionName: string): string {
  const { begin, end } = markers(sessionName);
  const body = [begin, ...plan.profiles.flatMap((p) => [...p.lines, '']), end].join('\n');
  if (block) {
    // Split keeping the exact line endings of everything outside the block.
    const lines = text.split('\n');
    const before = lines.slice(0, block.start).join('\n');
    const after = lines.slice(block.end + 1).join('\n');
    return `${block.start > 0 ? `${before}\n` : ''}${body}${block.end + 1 < lines.length ? `\n${after}` : ''}`;
  }
  if (text === '') return `${body}\n`;
  const sep = text.endsWith('\n\n') ? '' : text.endsWith('\n') ? '\n' : '\n\n';
  return `${text}${sep}${body}\n`;
}

/** The change as a diff of whole profile sections: `-` lines of what goes, `+` of what comes. */
export function planDiff(file: string, block: Block | undefined, plan: Plan): string {
  const out: string[] = [`--- ${file}`, `+++ ${file} (stsx sso populate)`];
  const before = block?.profiles ?? new Map<string, { lines: string[] }>();
  const after = new Map(plan.profiles.map((p) => [p.name, p]));
  const names = [...new Set([...plan.removed, ...plan.changed, ...plan.added])].sort();
  for (const name of names) {
    out.push(`@@ [profile ${name}] @@`);
    for (const l of before.get(name)?.lines ?? []) out.push(`-${l}`);
    for (const l of after.get(name)?.lines ?? []) out.push(`+${l}`);
  }
  return `${out.join('\n')}\n`;
}
