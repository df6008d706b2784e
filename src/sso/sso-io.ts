// What an Identity Center token request needs from the outside world, built from a command's deps:
// the OIDC limits, stsx's progress lines on stderr, the browser, and the cross-process lock of the
// credential cache (one sign-in per session for any number of parallel callers).
import type { AwsCredentialIdentity } from '@aws-sdk/types';
import { openCommandCache } from '../cache/command-cache.ts';
import type { ConfigFiles } from '../config/config-files.ts';
import type { Deps } from '../deps.ts';
import type { Diagnostics } from '../diagnostics.ts';
import { terminalText } from '../text/terminal-text.ts';
import type { NetworkLimits } from '../sts/limits.ts';
import type { BrowserRequest } from './oidc.ts';
import { ssoRoleCredentials } from './role-credentials.ts';
import type { LoginOptions, TokenDeps } from './sso-token.ts';

export interface LoginFlags {
  useDeviceCode?: boolean | undefined;
  /** false: `--no-browser`. */
  browser?: boolean | undefined;
}

export function tokenDeps(deps: Deps, diag: Diagnostics, limits: NetworkLimits, requestHandler?: unknown): TokenDeps {
  const cache = openCommandCache({ deps, diag });
  return {
    env: deps.env,
    homedir: deps.homedir,
    now: () => deps.now(),
    say: (line) => diag.note(line),
    trace: (line) => diag.debug(line),
    timeoutMs: limits.totalTimeoutMs,
    connectTimeoutMs: limits.connectTimeoutMs,
    requestHandler,
    lock: async (name, waitMs, onWait) => {
      const { sha256Hex } = await import('../cache/sha256.ts');
      return cache.lock(sha256Hex(name), waitMs, onWait);
    },
    sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
  };
}

/** How a login shows its URL: the browser (`$BROWSER`, else the platform's opener), or printed. */
export function loginOptions(deps: Deps, say: (line: string) => void, flags: LoginFlags): LoginOptions {
  const printUrl = (url: string): void => say(`open this URL to sign in: ${terminalText(url)}`);
  const browser: BrowserRequest | undefined =
    flags.browser === false || !deps.openBrowser
      ? undefined
      : {
          open: async (url) => {
            const opened = await deps.openBrowser?.(url);
            if (opened && !opened.ok) {
              say(`could not open a browser (${terminalText(opened.opener)}: ${terminalText(opened.detail ?? opened.reason)})`);
              printUrl(url);
            } else {
              say('a browser window was opened to sign in; if none appears, run `stsx login --no-browser`');
            }
          },
        };
  return { flow: flags.useDeviceCode ? 'device' : 'pkce', browser, printUrl };
}

/**
 * An SSO profile's credentials for any command: a login is started only when there is a terminal
 * to show it on (one line says so); without one the error names `stsx login --profile X`.
 */
export async function ssoCredentialsForCommand(deps: Deps, diag: Diagnostics, limits: NetworkLimits, files: ConfigFiles, profile: string, requestHandler: unknown): Promise<AwsCredentialIdentity> {
  const terminal = await deps.openTerminal?.();
  terminal?.close();
  const login = terminal ? loginOptions(deps, (l) => diag.note(l), {}) : undefined;
  return ssoRoleCredentials(files, profile, tokenDeps(deps, diag, limits, requestHandler), login);
}
