// The AWS SDK's providers that read the config files themselves (SSO, console login, the instance
// metadata endpoint settings) must see the profiles stsx read, not the JS SDK's own reading, which
// differs from the spec on some lines (parse-ini.ts notes them). Before such a provider runs, stsx hands the SDK's file reader
// (@smithy/core/config, which every provider reads the files through) its own reading, written in
// the plain shape every parser reads alike: `[profile x]` / `[x]`, `name = value`, sub-properties
// as indented `name = value` lines. A value continued over several lines has no such shape: the
// SDK gets its first line (no setting an SDK provider reads is ever continued).
import type { ConfigFiles, IniSection, IniSections } from './config-files.ts';
import { newSection, subPropertiesOf } from './parse-ini.ts';

function sectionText(header: string, section: IniSection, out: string[]): void {
  out.push(header);
  for (const key in section) {
    const value = section[key];
    if (value === undefined) continue;
    if (!value.startsWith('\n')) {
      const newline = value.indexOf('\n');
      out.push(`${key} = ${newline < 0 ? value : value.slice(0, newline)}`);
    } else {
      // Sub-properties, as the JS SDK reads them (`key.name`).
      out.push(`${key} =`);
      for (const [name, sub] of subPropertiesOf(value)) out.push(`  ${name} = ${sub}`);
    }
  }
  out.push('');
}

function profilesText(sections: IniSections, header: (name: string) => string, out: string[]): void {
  for (const name of sections.names()) {
    // The JS SDK refuses a whole file with a `__proto__` section: that one profile is left out instead.
    if (name === '__proto__') continue;
    const section = sections.get(name);
    if (section) sectionText(header(name), section, out);
  }
}

/** stsx's reading of both files, as text the JS SDK's parser reads the same way. */
function sdkFileTexts(files: ConfigFiles): { config: string; credentials: string } {
  const config: string[] = [];
  profilesText(files.config, (name) => (name === 'default' ? '[default]' : `[profile ${name}]`), config);
  const others = files.config.others?.();
  // `services` sub-properties are also kept as `svc.name` keys (stsx reads those): the spec's value is what is written.
  for (const [name, section] of others?.ssoSessions ?? []) sectionText(`[sso-session ${name}]`, section, config);
  for (const [name, section] of others?.services ?? []) sectionText(`[services ${name}]`, withoutFlattened(section), config);
  const credentials: string[] = [];
  profilesText(files.credentials, (name) => `[${name}]`, credentials);
  return { config: config.join('\n'), credentials: credentials.join('\n') };
}

function withoutFlattened(section: IniSection): IniSection {
  const out = newSection();
  for (const key in section) if (!(key.includes('.') && section[key.slice(0, key.indexOf('.'))] !== undefined)) out[key] = section[key];
  return out;
}

/** Hands the SDK's file reader stsx's reading of the files (for the rest of the run). */
export async function shareFilesWithSdk(files: ConfigFiles): Promise<void> {
  const { externalDataInterceptor } = await import('@smithy/core/config');
  const { config, credentials } = sdkFileTexts(files);
  externalDataInterceptor.interceptFile(files.paths.config, config);
  externalDataInterceptor.interceptFile(files.paths.credentials, credentials);
}
