// nu: nushell cannot evaluate text, so the output is data: one JSON object (a nushell record once
// `from json` reads it) for `load-env`. A variable to remove is `null`: `load-env` then leaves it
// as nothing, which nushell does not pass on to the programs it runs; the `stsx init nu` wrapper
// goes further and `hide-env -i`s those names, so `$env` loses them too.
import { joinLines, LONE_SURROGATE, NUL, refuseUnsafe } from './refuse-unsafe.ts';
import type { EnvAssignment } from './types.ts';
import { jsonText } from '../../text/json.ts';

export function renderNu(list: readonly EnvAssignment[]): string {
  // JSON escapes line breaks and every control character, and nushell keeps them in the value;
  // only what no environment can hold (NUL) or UTF-8 cannot encode is refused.
  refuseUnsafe(list, 'nu', [NUL, LONE_SURROGATE], 'use --format json (credential_process) for such values');
  const record: Record<string, string | null> = Object.create(null) as Record<string, string | null>;
  for (const { name, value } of list) record[name] = value;
  return joinLines([jsonText(record)]);
}
