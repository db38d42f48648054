import type { IncontactFixtures } from './incontact/ic-fixtures';
import { SANDBOX_FIXTURES, type V2Fixtures } from './fixtures';

/** What the inContact surface accepts: the app registration and the employee's access key. */
export interface IncontactCredentials {
  clientId: string;
  clientSecret: string;
  accessKeyId: string;
  accessKeySecret: string;
}

/** Everything one running sandbox lists at `/_sandbox/fixtures`, both surfaces. */
export interface SandboxFixtures extends V2Fixtures {
  /** The same world with the inContact surface's numeric ids. */
  incontact: IncontactFixtures & { credentials: IncontactCredentials };
}

/** The fixtures as one running sandbox reports them: credentials are those it accepts. */
export function fixturesFor(
  credentials: { clientId: string; clientSecret: string },
  incontact: SandboxFixtures['incontact'],
): SandboxFixtures {
  return { ...SANDBOX_FIXTURES, credentials: { ...credentials }, incontact };
}

/** What may be shown to gateway callers: the fixtures without any credential. */
export type PublicSandboxFixtures = Omit<SandboxFixtures, 'credentials' | 'incontact'> & {
  incontact: IncontactFixtures;
};

export function publicFixtures(fixtures: SandboxFixtures): PublicSandboxFixtures {
  // The simulator's secrets are fake, but responses never carry credentials on principle.
  const { credentials: _credentials, incontact, ...rest } = fixtures;
  const { credentials: _icCredentials, ...icRest } = incontact;
  return { ...rest, incontact: icRest };
}
