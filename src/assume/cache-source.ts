// Who the source credentials belong to, for the cache key, computed from config and environment
// only (no SDK, no network): a different source user must never get another user's cached role.
import { fingerprint } from '../cache/cache-key.ts';
import type { Env } from '../deps.ts';
import type { LocalSettings } from '../settings/resolve-settings.ts';
import { hasStaticKeys, profileHasCredentials, readProfile } from '../config/profile.ts';
import type { SourcePlan } from './plan.ts';

const CHAIN_ENV = ['AWS_ROLE_ARN', 'AWS_WEB_IDENTITY_TOKEN_FILE', 'AWS_CONTAINER_CREDENTIALS_FULL_URI', 'AWS_CONTAINER_CREDENTIALS_RELATIVE_URI', 'AWS_EC2_METADATA_SERVICE_ENDPOINT'];

export function cacheSource(source: SourcePlan, settings: LocalSettings, env: Env): string {
  const envKey = env.AWS_ACCESS_KEY_ID && env.AWS_SECRET_ACCESS_KEY ? env.AWS_ACCESS_KEY_ID : undefined;
  const chainPrint = (name: string): string =>
    `profile:${name}:${fingerprint({ chain: settings.chain.map((p) => p.settings), env: Object.fromEntries(CHAIN_ENV.map((k) => [k, env[k]])) })}`;
  switch (source.kind) {
    case 'credential-source':
      if (source.source === 'Environment') return envKey ? `key:${envKey}` : 'env:none';
      return `${source.source}:${chainPrint(settings.profile.name)}`;
    case 'source-profile': {
      const p = readProfile(settings.files, source.profile);
      return hasStaticKeys(p) ? `key:${p.settings.aws_access_key_id ?? ''}` : chainPrint(source.profile);
    }
    case 'profile-chain': {
      // The environment wins for the implicit default profile and for a profile without credentials.
      if (envKey && (!settings.profileName.explicit || !profileHasCredentials(settings.profile))) return `key:${envKey}`;
      if (hasStaticKeys(settings.profile)) return `key:${settings.profile.settings.aws_access_key_id ?? ''}`;
      return chainPrint(settings.profile.name);
    }
  }
}
