import base from './jest.config.js';

/**
 * npm run test:unit: the specs beside the code (src/), straight from TypeScript — no build, no
 * PostgreSQL, none of the e2e set-up. Each file is transpiled alone (`isolatedModules`): types are
 * checked by `npm run check`, which covers the specs too.
 */
export default {
  ...base,
  roots: ['<rootDir>/src'],
  testRegex: '.*\\.spec\\.ts$',
  globalSetup: undefined,
  globalTeardown: undefined,
  setupFilesAfterEnv: [],
  transform: {
    '^.+\\.ts$': ['ts-jest', { useESM: true, tsconfig: 'tsconfig.unit.json', diagnostics: { ignoreCodes: [151002] } }],
  },
};
