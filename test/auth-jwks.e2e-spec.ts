import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { exportJWK, generateKeyPair, SignJWT, type CryptoKey, type JWK } from 'jose';
import request from 'supertest';
import { createTestApp, type TestApp } from './support/app.js';
import { signToken, TEST_SECRET } from './support/tokens.js';

/** An identity provider's key server, as Keycloak or Auth0 publish theirs: a JWKS over HTTP. */
describe('Token mode with AUTH_JWKS_URL (RS256/ES256 from an identity provider)', () => {
  let t: TestApp;
  let server: Server;
  let published: JWK[] = [];
  let fetches = 0;
  const pairs: Record<string, { privateKey: CryptoKey; publicKey: CryptoKey; alg: string }> = {};

  const sign = (kid: string, claims: Record<string, unknown> = { sub: 'admin-1', role: 'admin' }) =>
    new SignJWT(claims)
      .setProtectedHeader({ alg: pairs[kid].alg, kid })
      .setIssuedAt()
      .setExpirationTime('1h')
      .sign(pairs[kid].privateKey);
  const publish = async (...kids: string[]) => {
    published = await Promise.all(
      kids.map(async (kid) => ({ ...(await exportJWK(pairs[kid].publicKey)), kid, alg: pairs[kid].alg, use: 'sig' })),
    );
  };
  const status = async (token: string) =>
    (
      await request(t.url)
        .get('/bookings')
        .set({ Authorization: `Bearer ${token}` })
    ).status;

  beforeAll(async () => {
    for (const [kid, alg] of [
      ['es-1', 'ES256'],
      ['rs-2', 'RS256'],
      ['rs-3', 'RS256'],
    ]) {
      pairs[kid] = { ...(await generateKeyPair(alg)), alg };
    }
    await publish('es-1');
    server = createServer((_request, response) => {
      fetches += 1;
      response.setHeader('Content-Type', 'application/json');
      response.end(JSON.stringify({ keys: published }));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    t = await createTestApp({ AUTH_JWKS_URL: `http://127.0.0.1:${port}/jwks.json`, AUTH_JWKS_COOLDOWN_MS: '0' });
  });
  afterAll(async () => {
    await t.close();
    if (server.listening) await new Promise((resolve) => server.close(resolve));
  });

  it('accepts tokens signed with a published key, and fetches the keys once for many requests', async () => {
    const token = await sign('es-1');
    expect(await status(token)).toBe(200);
    const before = fetches;
    for (let i = 0; i < 5; i++)
      expect(await status(await sign('es-1', { sub: `admin-${i}`, role: 'admin' }))).toBe(200);
    expect(fetches).toBe(before);
  });

  it('follows a key rotation: a new kid is fetched, a withdrawn key stops working', async () => {
    await publish('rs-2');
    expect(await status(await sign('rs-2'))).toBe(200); // unknown kid: the keys are fetched again
    expect(await status(await sign('es-1', { sub: 'someone-new', role: 'admin' }))).toBe(401); // withdrawn
    expect(await status(await sign('rs-3'))).toBe(401); // never published
  });

  it('refuses HS256 tokens when no secret is configured (no algorithm confusion)', async () => {
    const response = await request(t.url)
      .get('/bookings')
      .set({ Authorization: `Bearer ${await signToken({ sub: 'x', role: 'admin' }, { secret: TEST_SECRET })}` });
    expect(response.status).toBe(401);
    expect(response.headers['www-authenticate']).toContain('error="invalid_token"');
  });

  it("answers 503 + Retry-After, not 401, while the provider's keys cannot be fetched", async () => {
    await new Promise((resolve) => server.close(resolve));
    const response = await request(t.url)
      .get('/bookings')
      .set({ Authorization: `Bearer ${await sign('rs-3')}` }); // an unknown kid: the keys must be fetched
    expect(response.status).toBe(503);
    expect(response.headers['retry-after']).toBe('2');
    expect(response.body.message).toMatch(/identity provider/);
  });
});
