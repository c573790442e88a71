import { signHs256, type SignOptions } from '../../src/auth/sign-token.js';

export const TEST_SECRET = 'test-secret-of-at-least-32-characters!!';

/** A token signed with TEST_SECRET (or `secret`), HS256; `exp` one hour from now unless given. */
export function signToken(
  claims: Record<string, unknown>,
  { secret = TEST_SECRET, expiresIn = '1h', ...options }: SignOptions & { secret?: string } = {},
): Promise<string> {
  return signHs256(secret, claims, { expiresIn, ...options });
}
