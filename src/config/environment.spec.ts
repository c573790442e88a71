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
      CORS_ORIGINS: '*',
    });
    expect(env.DATABASE_URL).toBeUndefined();
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
