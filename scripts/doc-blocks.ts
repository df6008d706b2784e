// The parts of docs/usage.md generated from code, so the documentation cannot drift from what
// stsx does: the usage lines and the table of output formats (from the FORMATS table), and the
// reference of every command (from the commander program of src/cli.ts, built without running
// anything, as gh's cmd/gen-docs does). Each sits between `<!-- NAME:begin -->` and
// `<!-- NAME:end -->` markers. scripts/docs.ts writes them (`npm run docs`);
// test/unit/doc-blocks.test.ts fails when the file is out of date.
import { Help, type Command } from 'commander';
import { buildProgram } from '../src/cli.ts';
import { FORMATS, usageLine, usageText } from '../src/output/credentials/formats.ts';

/** The file that holds the generated blocks, relative to the repository. */
export const USAGE_FILE = 'docs/usage.md';

const EXAMPLE = 'stsx assume --role-arn arn:aws:iam::123456789012:role/Admin';
// The width the help text is wrapped at in the reference: fixed, so the file does not depend on
// the terminal that ran `npm run docs`.
const WIDTH = 100;

const cell = (text: string): string => text.replaceAll('|', '\\|');
// Outside code spans, `<source-profile>` would be read as an HTML tag.
const prose = (text: string): string => cell(text).replaceAll('<', '&lt;').replaceAll('>', '&gt;');
const code = (text: string): string => `\`${cell(text)}\``;

/** Markdown for each block name. */
export function docBlocks(): Record<string, string> {
  const table = [
    '| format | aliases | use it with | notes |',
    '|---|---|---|---|',
    ...FORMATS.map((f) => {
      const use = `\`${cell(usageLine(f.name, 'stsx assume ...'))}\`${f.usageNote ? ` ${prose(f.usageNote)}` : ''}`;
      return `| \`${f.name}\` | ${f.aliases.map((a) => `\`${a}\``).join(', ')} | ${use} | ${cell(f.notes)} |`;
    }),
  ].join('\n');
  return {
    // The same text as the "Use it from your shell" block of `stsx assume --help`.
    'formats:usage': ['```', usageText(EXAMPLE), '```'].join('\n'),
    'formats:table': table,
    'commands:reference': commandReference(),
  };
}

/**
 * One section per visible command (subcommands too): its usage line, description, arguments,
 * options with their defaults and choices, and the text its --help adds after the options.
 */
export function commandReference(): string {
  const program = buildProgram(() => Promise.resolve());
  const help = new Help();
  help.prepareContext({ helpWidth: WIDTH, outputHasColors: false });
  const sections: string[] = [];
  const visit = (cmd: Command, names: string[]): void => {
    for (const sub of help.visibleCommands(cmd)) {
      if (sub.name() === 'help') continue;
      const path = [...names, sub.name()];
      if (sub.commands.length > 0) visit(sub, path);
      else sections.push(commandSection(sub, path, help));
    }
  };
  visit(program, ['stsx']);
  return [
    'Generated from the commander program of src/cli.ts by `npm run docs`; `stsx <command> --help` prints the same.',
    '',
    commandSection(program, ['stsx'], help),
    ...sections,
  ].join('\n').trimEnd();
}

function commandSection(cmd: Command, names: string[], help: Help): string {
  const lines = [`### ${names.join(' ')}`, '', prose(help.commandDescription(cmd)), '', '```', help.commandUsage(cmd), '```', ''];
  const args = help.visibleArguments(cmd);
  if (args.length > 0) {
    lines.push('| argument | meaning |', '|---|---|');
    for (const a of args) lines.push(`| ${code(help.argumentTerm(a))} | ${prose(help.argumentDescription(a))} |`);
    lines.push('');
  }
  const options = help.visibleOptions(cmd).filter((o) => o.long !== '--help');
  if (options.length > 0) {
    lines.push('| option | meaning |', '|---|---|');
    for (const o of options) lines.push(`| ${code(help.optionTerm(o))} | ${prose(help.optionDescription(o))} |`);
    lines.push('');
  }
  const after = afterHelp(cmd);
  if (after !== '') lines.push('```', after, '```', '');
  return lines.join('\n');
}

/** What `addHelpText('after', ...)` adds below the options, as --help prints it. */
function afterHelp(cmd: Command): string {
  let text = '';
  cmd.configureOutput({ writeOut: (s) => { text += s; }, getOutHelpWidth: () => WIDTH, getOutHasColors: () => false });
  cmd.outputHelp();
  const own = cmd.helpInformation();
  const at = text.indexOf(own);
  return (at < 0 ? '' : text.slice(at + own.length)).trim();
}

/** `text` with every generated block replaced; throws when a block's markers are missing. */
export function updateBlocks(text: string, blocks: Record<string, string> = docBlocks()): string {
  let next = text;
  for (const [name, body] of Object.entries(blocks)) {
    const begin = `<!-- ${name}:begin -->`;
    const end = `<!-- ${name}:end -->`;
    const from = next.indexOf(begin);
    const to = next.indexOf(end);
    if (from < 0 || to < from) throw new Error(`${USAGE_FILE} has no ${begin} ... ${end} block`);
    next = `${next.slice(0, from + begin.length)}\n${body}\n${next.slice(to)}`;
  }
  return next;
}
