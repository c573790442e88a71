import { SignJWT, type JWTPayload } from 'jose';

export interface SignOptions {
  /** jose's time span ('2h') or an absolute `exp` in seconds. */
  expiresIn?: string | number;
  notBefore?: string | number;
  issuer?: string;
  audience?: string;
}

/** An HS256 token with `claims` signed with `secret`: for `npm run token`, the tests and the benchmarks. */
export function signHs256(secret: string, claims: JWTPayload, options: SignOptions = {}): Promise<string> {
  let jwt = new SignJWT(claims)
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .setIssuedAt()
    .setExpirationTime(options.expiresIn ?? '2h');
  if (options.notBefore !== undefined) jwt = jwt.setNotBefore(options.notBefore);
  if (options.issuer) jwt = jwt.setIssuer(options.issuer);
  if (options.audience) jwt = jwt.setAudience(options.audience);
  return jwt.sign(new TextEncoder().encode(secret));
}
