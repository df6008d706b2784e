// The shapes of a parsed INI file, shared by the parser (parse-ini.ts) and the loader
// (config-files.ts) without either importing the other.

export type IniSection = Record<string, string | undefined>;
export type IniFile = Record<string, IniSection>;

/** A file's sections by name, each parsed when first asked for (names from the file: a Map inside). */
export interface IniSections {
  /** The section's settings; undefined for one the file does not have or that has no settings. */
  get(name: string): IniSection | undefined;
  /** Every name get() answers (parses every section). */
  names(): string[];
}
