// The README blocks generated from code, so the README cannot drift from what stsx does: the
// usage lines and the table of output formats (from the FORMATS table), between
// `<!-- NAME:begin -->` and `<!-- NAME:end -->` markers. scripts/docs.ts writes them
// (`npm run docs`); test/unit/readme-blocks.test.ts fails when the README is out of date.
import { FORMATS, usageLine, usageText } from '../src/output/credentials/formats.ts';

const EXAMPLE = 'stsx assume --role-arn arn:aws:iam::123456789012:role/Admin';

/** Markdown for each block name. */
export function readmeBlocks(): Record<string, string> {
  const cell = (text: string): string => text.replaceAll('|', '\\|');
  // Outside code spans, `<source-profile>` would be read as an HTML tag.
  const prose = (text: string): string => cell(text).replaceAll('<', '&lt;').replaceAll('>', '&gt;');
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
  };
}

/** `readme` with every generated block replaced; throws when a block's markers are missing. */
export function updateReadme(readme: string): string {
  let text = readme;
  for (const [name, body] of Object.entries(readmeBlocks())) {
    const begin = `<!-- ${name}:begin -->`;
    const end = `<!-- ${name}:end -->`;
    const from = text.indexOf(begin);
    const to = text.indexOf(end);
    if (from < 0 || to < from) throw new Error(`README.md has no ${begin} ... ${end} block`);
    text = `${text.slice(0, from + begin.length)}\n${body}\n${text.slice(to)}`;
  }
  return text;
}
