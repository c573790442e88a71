import base from './jest.config.js';

/**
 * npm run test:unit: the specs beside the code (src/), straight from TypeScript — no build, no
 * PostgreSQL, none of the e2e set-up.
 */
export default {
  ...base,
  roots: ['<rootDir>/src'],
  testRegex: '.*\\.spec\\.ts$',
  globalSetup: undefined,
  globalTeardown: undefined,
  setupFilesAfterEnv: [],
};
