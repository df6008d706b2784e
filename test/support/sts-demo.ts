// Demo world for `node test/support/sts-server.ts --seed-demo` (used by `npm run demo`):
// one IAM user, a role trusting it, an MFA device and a decodable authorization message.
import { randomBytes } from 'node:crypto';
import type { StsIdentity } from './sts-state.ts';

/** The IAM User Guide example (sts.md section H), compact as it travels on the wire. */
export const DEMO_DECODED_MESSAGE = JSON.stringify({
  allowed: false,
  explicitDeny: true,
  matchedStatements: { items: [{
    statementId: 'VisualEditor0',
    effect: 'DENY',
    principals: { items: [{ value: 'AROA123456789EXAMPLE' }] },
    principalGroups: { items: [] },
    actions: { items: [{ value: 'ec2:RunInstances' }] },
    resources: { items: [{ value: '*' }] },
    conditions: { items: [] },
  }] },
  failures: { items: [] },
  context: {
    principal: { id: 'AROA123456789EXAMPLE:Ana', arn: 'arn:aws:sts::111122223333:assumed-role/Developer/Ana' },
    action: 'RunInstances',
    resource: 'arn:aws:ec2:us-east-1:111122223333:instance/*',
    conditions: { items: ([
      ['ec2:MetadataHttpPutResponseHopLimit', '2'], ['ec2:InstanceMarketType', 'on-demand'],
      ['aws:Resource', 'instance/*'], ['aws:Account', '111122223333'], ['ec2:AvailabilityZone', 'us-east-1f'],
      ['ec2:ebsOptimized', 'false'], ['ec2:IsLaunchTemplateResource', 'false'], ['ec2:InstanceType', 't2.micro'],
      ['ec2:RootDeviceType', 'ebs'], ['aws:Region', 'us-east-1'], ['ec2:MetadataHttpEndpoint', 'enabled'],
      ['aws:Service', 'ec2'], ['ec2:InstanceID', '*'], ['ec2:MetadataHttpTokens', 'required'],
      ['aws:Type', 'instance'], ['ec2:Tenancy', 'default'], ['ec2:Region', 'us-east-1'],
      ['aws:ARN', 'arn:aws:ec2:us-east-1:111122223333:instance/*'],
    ] as const).map(([key, value]) => ({ key, values: { items: [{ value }] } })) },
  },
});

export const DEMO_ACCOUNT = '111122223333';
export const DEMO_ROLE_ARN = `arn:aws:iam::${DEMO_ACCOUNT}:role/demo-role`;
export const DEMO_MFA = { serial: `arn:aws:iam::${DEMO_ACCOUNT}:mfa/demo`, code: '123456' };

/** The subset of StsServer that seeding needs (avoids an import cycle with sts-server.ts). */
interface Seedable {
  addUser(opts: { account?: string; userName: string }): StsIdentity;
  addRole(role: { arn: string; trustedPrincipalArns?: string[]; maxSessionDuration?: number }): void;
  setMfaDevice(serial: string, code: string): void;
  setDecodedMessage(encoded: string, decodedJson: string): void;
}

export interface DemoSeed {
  users: Array<StsIdentity & { userName: string }>;
  roles: string[];
  mfa: { serial: string; code: string };
  encodedMessage: string;
  decodedMessage: string;
}

export function seedDemo(server: Seedable): DemoSeed {
  const user = { ...server.addUser({ account: DEMO_ACCOUNT, userName: 'demo' }), userName: 'demo' };
  server.addRole({ arn: DEMO_ROLE_ARN, trustedPrincipalArns: [user.arn], maxSessionDuration: 43200 });
  server.setMfaDevice(DEMO_MFA.serial, DEMO_MFA.code);
  // Real blobs look like long base64url text; this one only means something to this server.
  const encodedMessage = randomBytes(240).toString('base64url');
  server.setDecodedMessage(encodedMessage, DEMO_DECODED_MESSAGE);
  return { users: [user], roles: [DEMO_ROLE_ARN], mfa: DEMO_MFA, encodedMessage, decodedMessage: DEMO_DECODED_MESSAGE };
}
