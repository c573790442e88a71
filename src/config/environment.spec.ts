import { describe, expect, it } from '@jest/globals';
import { validateEnvironment } from './environment.js';

describe('validateEnvironment', () => {
  it('applies defaults and converts types', () => {
    const env = validateEnvironment({ PORT: '8080', CHAT_ECHO_TO_SENDER: 'true' });
    expect(env).toMatchObject({
      PORT: 8080,
      CHAT_ECHO_TO_SENDER: true,
      SSE_KEEPALIVE_MS: 15000,
      API_PREFIX: '',
    });
    expect(env.DATABASE_URL).toBeUndefined();
    expect(env.CORS_ORIGINS).toBeUndefined(); // the mode decides (see OriginPolicy)
  });

  it('treats empty variables as unset', () => {
    const env = validateEnvironment({ DATABASE_URL: '', PORT: '' });
    expect(env.PORT).toBe(3000);
    expect(env.DATABASE_URL).toBeUndefined();
  });

  it('names every bad variable in one error', () => {
    const attempt = () => validateEnvironment({ PORT: 'abc', DATABASE_URL: 'mysql://x', LOG_LEVEL: 'loud' });
    expect(attempt).toThrow(/^Invalid configuration:/);
    expect(attempt).toThrow(/PORT="abc"/);
    expect(attempt).toThrow(/LOG_LEVEL="loud"/);
    expect(attempt).toThrow(/DATABASE_URL must be a postgres:\/\/ URL/);
  });
});

describe('validateEnvironment: every variable is checked', () => {
  it.each([
    ['SEED_DEMO', 'maybe'],
    ['CORS_ORIGINS', 'not a url'],
    ['CORS_ORIGINS', 'http://a.example, nonsense'],
    ['RATE_LIMITS', 'sometimes'],
    ['MAX_BOOKING_DAYS', '0'],
    ['TRUST_PROXY', 'banana'],
    ['TRUST_PROXY', '10.0.0.0/99'],
    ['AUTH_ROLE_CLAIM', 'realm_access..roles'],
  ])('refuses %s=%j', (name, value) => {
    expect(() => validateEnvironment({ [name]: value })).toThrow(new RegExp(`${name}=`));
  });

  it('accepts booleans as true/false, 1/0 and yes/no', () => {
    expect(validateEnvironment({ SEED_DEMO: 'no' }).SEED_DEMO).toBe(false);
    expect(validateEnvironment({ SEED_DEMO: 'YES' }).SEED_DEMO).toBe(true);
  });

  it('accepts a list of origins', () => {
    const origins = 'http://localhost:3001, https://dashboard.example.com';
    expect(validateEnvironment({ CORS_ORIGINS: origins }).CORS_ORIGINS).toBe(origins);
  });

  it('never prints the password of a bad URL', () => {
    const attempt = () => validateEnvironment({ DATABASE_URL: 'mysql://user:s3cret@db.example:3306/app' });
    expect(attempt).toThrow(/mysql:\/\/user:\*\*\*@db\.example/);
    expect(attempt).not.toThrow(/s3cret/);
  });

  it('keeps the embedded server out of the ephemeral port range', () => {
    expect(validateEnvironment({}).EMBEDDED_PG_PORT).toBeLessThan(32768);
  });
});
