import { afterAll, expect } from '@jest/globals';
import { closeLeftOpen } from './running-apps.js';
import { openApiViolations } from './openapi-responses.js';

// Runs after every test file (jest setupFilesAfterEnv): each response it received matched openapi.json.
afterAll(() => {
  expect([...new Set(openApiViolations)]).toEqual([]);
});

// And nothing it started is left running, even when a test failed before closing its application.
afterAll(() => closeLeftOpen());
