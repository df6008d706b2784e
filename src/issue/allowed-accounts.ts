// --allowed-account-id (repeatable, every command that prints credentials): credentials of any
// other account are refused before anything is printed or cached, as configure-aws-credentials'
// allowed-account-ids does. The one check lives here; issue-cached.ts applies it.
import { AuthError, UsageError } from '../errors.ts';

/** The flag values, checked (12 digits each); undefined when the flag was not given. */
export function parseAllowedAccounts(values: string[] | undefined): ReadonlySet<string> | undefined {
  if (values === undefined || values.length === 0) return undefined;
  for (const value of values) {
    if (!/^\d{12}$/.test(value)) {
      throw new UsageError(`--allowed-account-id ${JSON.stringify(value.slice(0, 40))} is not an AWS account id`, { hint: 'an account id is 12 digits, for example --allowed-account-id 123456789012' });
    }
  }
  return new Set(values);
}

/** Refuses (exit 4) credentials of an account that is not allowed, or whose account is unknown. */
export function checkAllowedAccount(account: string | undefined, allowed: ReadonlySet<string> | undefined, what: string): void {
  if (!allowed || (account !== undefined && allowed.has(account))) return;
  const list = [...allowed].join(', ');
  throw new AuthError(
    account === undefined
      ? `refusing to print ${what}: their account is unknown, and --allowed-account-id allows only ${list}`
      : `refusing to print ${what}: they are for account ${account}, and --allowed-account-id allows only ${list}`,
    { hint: 'check the role ARN and the credential source, or add the account with another --allowed-account-id' },
  );
}
