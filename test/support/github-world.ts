// The world of a GitHub Actions job with `id-token: write` for integration tests: the project's
// STS server trusting the GitHub OIDC stand-in for one account and one web-identity role, and
// the job's environment (no AWS keys anywhere).
import { startStsServer, type StsServer } from './sts-server.ts';
import { GITHUB_ISSUER, startGithubOidcServer, type GithubOidcServer } from './github-oidc-server.ts';

export async function startGithubWorld(account: string, role: string): Promise<{ sts: StsServer; gh: GithubOidcServer }> {
  const [sts, gh] = await Promise.all([startStsServer({ region: 'eu-west-1' }), startGithubOidcServer()]);
  sts.addOidcProvider(account, GITHUB_ISSUER, ['sts.amazonaws.com']);
  sts.addRole({ arn: role, webIdentity: { issuer: GITHUB_ISSUER, audience: 'sts.amazonaws.com', subject: 'repo:octo-org/octo-repo:*' } });
  return { sts, gh };
}

/** A GitHub Actions job's environment: the token endpoint, the repository and run, the STS server. */
export function githubJobEnv(sts: StsServer, gh: GithubOidcServer, runId: string, extra: Record<string, string> = {}): Record<string, string> {
  return {
    AWS_REGION: 'eu-west-1',
    AWS_ENDPOINT_URL_STS: sts.url,
    GITHUB_ACTIONS: 'true',
    GITHUB_REPOSITORY: 'octo-org/octo-repo',
    GITHUB_RUN_ID: runId,
    ACTIONS_ID_TOKEN_REQUEST_URL: gh.requestUrl,
    ACTIONS_ID_TOKEN_REQUEST_TOKEN: gh.requestToken,
    ...extra,
  };
}
