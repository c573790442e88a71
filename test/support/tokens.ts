import { signHs256, type SignOptions } from '../../src/auth/sign-token.js';

export const TEST_SECRET = 'test-secret-of-at-least-32-characters!!';

/** A token signed with TEST_SECRET (or `secret`), HS256; `exp` one hour from now unless given. */
export function signToken(
  claims: Record<string, unknown>,
  { secret = TEST_SECRET, expiresIn = '1h', ...options }: SignOptions & { secret?: string } = {},
): Promise<string> {
  return signHs256(secret, claims, { expiresIn, ...options });
}

/**
 * Token mode as the multi-actor specs run it: renters book as often as the scenarios need, and
 * agencies are hidden (pending) and shown again without their papers (the approval rule is
 * test/documents.e2e-spec.ts's).
 */
export const TOKEN_MODE = {
  AUTH_JWT_SECRET: TEST_SECRET,
  MAX_OPEN_BOOKINGS_PER_RENTER: '100',
  AGENCY_REQUIRED_DOCUMENTS: 'none',
};
