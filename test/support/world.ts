// The world most integration tests start from: an IAM user of the project's STS server, with
// its keys exported in a fresh sandbox (run-cli.ts: own HOME, empty AWS files, no AWS_* of the
// developer), the server as the STS endpoint, and, when asked, a role that trusts the user.
// One place for it, so every test means the same thing by "a user" and "a role".
import path from 'node:path';
import { sandbox, type Sandbox } from './run-cli.ts';
import type { StsRole, StsServer } from './sts-server.ts';

export interface WorldOptions {
  /** The user's IAM name; also names the role (`<name>-role`) unless `role.arn` says otherwise. */
  name: string;
  /** The user's (and the role's) account; default 111122223333. */
  account?: string;
  /** AWS_REGION; default eu-central-1; `null` leaves AWS_REGION unset. */
  region?: string | null;
  /** A role that trusts the user: `true` for `arn:aws:iam::<account>:role/<name>-role`, or its settings. */
  role?: true | Partial<StsRole>;
  /** More variables for the sandbox (they win over the defaults above). */
  env?: Record<string, string>;
}

export interface World extends Sandbox {
  /** The user's ARN and keys. */
  user: { arn: string; accessKeyId: string; secretAccessKey: string };
  /** The role's ARN ('' when no role was asked for). */
  role: string;
  /** Where stsx keeps its cache in this sandbox ($HOME/.cache/stsx). */
  cacheDir: string;
}

export function userWorld(sts: StsServer, options: WorldOptions): World {
  const account = options.account ?? '111122223333';
  const u = sts.addUser({ account, userName: options.name });
  let role = '';
  if (options.role !== undefined) {
    const settings = options.role === true ? {} : options.role;
    role = settings.arn ?? `arn:aws:iam::${account}:role/${options.name}-role`;
    sts.addRole({ trustedPrincipalArns: [u.arn], ...settings, arn: role });
  }
  const region = options.region === undefined ? 'eu-central-1' : options.region;
  const box = sandbox({
    AWS_ACCESS_KEY_ID: u.accessKeyId,
    AWS_SECRET_ACCESS_KEY: u.secretAccessKey,
    ...(region === null ? {} : { AWS_REGION: region }),
    AWS_ENDPOINT_URL_STS: sts.url,
    ...options.env,
  });
  return { ...box, user: { arn: u.arn, accessKeyId: u.accessKeyId, secretAccessKey: u.secretAccessKey }, role, cacheDir: path.join(box.home, '.cache', 'stsx') };
}
