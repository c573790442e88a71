import { afterAll, expect } from '@jest/globals';
import { openApiViolations } from './openapi-responses.js';

// Runs after every test file (jest setupFilesAfterEach): each response it received matched openapi.json.
afterAll(() => {
  expect([...new Set(openApiViolations)]).toEqual([]);
});
