import { createServer, type Server } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { exportJWK, generateKeyPair, type JWK } from 'jose';
import Provider from 'oidc-provider';
import request from 'supertest';
import { freePort } from '../src/common/free-port.js';
import { createTestApp, type TestApp } from './support/app.js';

const API_AUDIENCE = 'https://api.cars.example';
const OTHER_AUDIENCE = 'https://billing.example';
const CLIENT = { id: 'back-office', secret: 'a-client-secret-long-enough-for-the-provider' };

/** An RS256 signing key with its `kid`, as the provider publishes it. */
async function signingKey(kid: string): Promise<JWK> {
  const { privateKey } = await generateKeyPair('RS256', { extractable: true });
  return { ...(await exportJWK(privateKey)), kid, alg: 'RS256', use: 'sig' };
}

/**
 * A real OpenID provider (oidc-provider, the certified implementation), in this process: a
 * client-credentials client gets JWT access tokens for a resource (the audience), with the admin
 * role as a custom claim, signed with `key`.
 */
async function startProvider(issuer: string, port: number, key: JWK): Promise<Server> {
  const provider = new Provider(issuer, {
    clients: [
      {
        client_id: CLIENT.id,
        client_secret: CLIENT.secret,
        grant_types: ['client_credentials'],
        redirect_uris: [],
        response_types: [],
      },
    ],
    jwks: { keys: [key] },
    features: {
      devInteractions: { enabled: false },
      clientCredentials: { enabled: true },
      resourceIndicators: {
        enabled: true,
        defaultResource: () => API_AUDIENCE,
        useGrantedResource: () => true,
        getResourceServerInfo: (_context, resource) => ({
          scope: 'api',
          audience: resource,
          accessTokenFormat: 'jwt',
          accessTokenTTL: 600,
          jwt: { sign: { alg: 'RS256' } },
        }),
      },
    },
    extraTokenClaims: () => ({ 'https://cars.example/role': 'admin' }),
  });
  const handle = provider.callback();
  const server = createServer((req, res) => void handle(req, res));
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  return server;
}

async function stop(server: Server): Promise<void> {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
}

/** An access token from the provider's token endpoint (client credentials, client_secret_basic). */
async function accessToken(issuer: string, resource = API_AUDIENCE): Promise<string> {
  const response = await fetch(`${issuer}/token`, {
    method: 'POST',
    headers: {
      Authorization: `Basic ${Buffer.from(`${CLIENT.id}:${CLIENT.secret}`).toString('base64')}`,
      'Content-Type': 'application/x-www-form-urlencoded',
    },
    body: new URLSearchParams({ grant_type: 'client_credentials', resource, scope: 'api' }),
  });
  const body = (await response.json()) as { access_token?: string; error?: string };
  if (!body.access_token) throw new Error(`The provider refused: ${JSON.stringify(body)}`);
  return body.access_token;
}

describe('Token mode behind a real OpenID provider (JWKS)', () => {
  let port: number;
  let issuer: string;
  let provider: Server;
  let t: TestApp;
  const agencies = (token: string) => request(t.url).get('/agencies').set('Authorization', `Bearer ${token}`);

  beforeAll(async () => {
    port = await freePort();
    issuer = `http://127.0.0.1:${port}`;
    provider = await startProvider(issuer, port, await signingKey('key-1'));
    t = await createTestApp({
      AUTH_JWKS_URL: `${issuer}/jwks`,
      AUTH_ISSUER: issuer,
      AUTH_AUDIENCE: API_AUDIENCE,
      AUTH_ROLE_CLAIM: 'https://cars.example/role',
      AUTH_JWKS_COOLDOWN_MS: '0',
    });
  });
  afterAll(async () => {
    await t.close();
    if (provider.listening) await stop(provider);
  });

  it("accepts the provider's access tokens, with the role from its custom claim", async () => {
    const token = await accessToken(issuer);
    await agencies(token).expect(200);
  });

  it('refuses a token the provider issued for another audience', async () => {
    const token = await accessToken(issuer, OTHER_AUDIENCE);
    const response = await agencies(token).expect(401);
    expect(response.body.message).toBe('The token has the wrong audience');
  });

  it('follows a key rotation at the provider', async () => {
    await stop(provider);
    provider = await startProvider(issuer, port, await signingKey('key-2'));
    const token = await accessToken(issuer);
    await agencies(token).expect(200);
  });

  it('answers 503 with Retry-After while the provider cannot be reached for a new key', async () => {
    await stop(provider);
    provider = await startProvider(issuer, port, await signingKey('key-3'));
    const token = await accessToken(issuer);
    await stop(provider);
    const response = await agencies(token).expect(503);
    expect(response.headers['retry-after']).toBeDefined();
  });
});
