// The shapes of a parsed INI file, shared by the parser (parse-ini.ts) and the loader
// (config-files.ts) without either importing the other.

export type IniSection = Record<string, string | undefined>;
export type IniFile = Record<string, IniSection>;

/** A file's profiles by name (names from the file: a Map inside). */
export interface IniSections {
  /**
   * The profile's settings (empty for a profile with none); undefined for one the file does not
   * have. In the config file, `sso-session.x` and `services.x` name the `[sso-session x]` and
   * `[services x]` sections when no profile has that name.
   */
  get(name: string): IniSection | undefined;
  /** Every profile's name. */
  names(): string[];
  /** The config file's `[sso-session x]` and `[services x]` sections by name (sdk-view.ts writes them out). */
  others?(): { ssoSessions: ReadonlyMap<string, IniSection>; services: ReadonlyMap<string, IniSection> };
}

/** A line of a file that another AWS tool reads differently. */
export interface ConfigNote {
  file: string;
  line: number;
  text: string;
}
