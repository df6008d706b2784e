// Refusing a value a format cannot carry, before any text is produced. Errors name the variable,
// the format and the kind of character, never the value: these values are secrets.
import { UsageError } from '../../errors.ts';
import type { EnvAssignment } from './types.ts';

export interface CharRule {
  pattern: RegExp;
  /** What the character is, for the message, e.g. "a double quote". */
  what: string;
}

// Every line-oriented format reads one statement per line, so a line break would end the
// statement early; no environment can hold a NUL (they are C strings); and a lone UTF-16
// surrogate has no UTF-8 encoding, so the bytes written would not be the value asked for.
const LINE_BREAK: CharRule = { pattern: /\n/, what: 'a line break' };
export const CARRIAGE_RETURN: CharRule = { pattern: /\r/, what: 'a carriage return' };
export const NUL: CharRule = { pattern: /\0/, what: 'a NUL character' };
export const LONE_SURROGATE: CharRule = { pattern: /\p{Surrogate}/u, what: 'an unpaired UTF-16 surrogate' };

export const SHELL_RULES: readonly CharRule[] = [LINE_BREAK, CARRIAGE_RETURN, NUL, LONE_SURROGATE];

export function refuseUnsafe(list: readonly EnvAssignment[], format: string, rules: readonly CharRule[], hint: string): void {
  for (const { name, value } of list) {
    if (value === null) continue;
    const broken = rules.find((rule) => rule.pattern.test(value));
    if (broken) {
      throw new UsageError(`${name} contains ${broken.what}, which the ${format} format cannot carry safely`, { hint });
    }
  }
}

/** Joins lines with LF and ends the text with one; no lines gives empty text. */
export function joinLines(lines: readonly string[]): string {
  return lines.map((line) => `${line}\n`).join('');
}
