import { SignJWT } from 'jose';

export const TEST_SECRET = 'test-secret-of-at-least-32-characters!!';

/** A token signed with TEST_SECRET (HS256); `exp` one hour from now unless given. */
export function signToken(
  claims: Record<string, unknown>,
  {
    secret = TEST_SECRET,
    expiresIn = '1h',
    notBefore,
  }: { secret?: string; expiresIn?: string | number; notBefore?: string | number } = {},
): Promise<string> {
  let jwt = new SignJWT(claims).setProtectedHeader({ alg: 'HS256' }).setIssuedAt().setExpirationTime(expiresIn);
  if (notBefore !== undefined) jwt = jwt.setNotBefore(notBefore);
  return jwt.sign(new TextEncoder().encode(secret));
}
