// The MFA prompt drivers by name, and --prompt's value parser: small and free of the process
// runner, because src/flags.ts (which the early cache hit loads) declares --prompt with it.
import { UsageError } from '../errors.ts';
import { terminalText } from '../text/terminal-text.ts';

export const MFA_PROMPTS = ['terminal', 'ykman', 'zenity', 'kdialog', 'osascript', 'wincredui'] as const;
export type MfaPromptName = (typeof MFA_PROMPTS)[number];

export const isPromptName = (value: string): value is MfaPromptName => (MFA_PROMPTS as readonly string[]).includes(value);

/** --prompt's value parser (src/flags.ts): a name of MFA_PROMPTS, else a usage error at once. */
export function parseMfaPrompt(value: string): MfaPromptName {
  if (isPromptName(value)) return value;
  throw new UsageError(`--prompt must be one of ${MFA_PROMPTS.join(', ')} (got "${terminalText(value).slice(0, 40)}")`, { hint: 'see "MFA" in docs/usage.md' });
}
