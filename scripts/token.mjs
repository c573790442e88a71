// npm run -s token -- --role …: prints a development token and nothing else. Builds first only when
// an input changed since the last build (scripts/build.mjs; tsc's output goes to stderr).
import { dirname, resolve } from 'node:path';
import process from 'node:process';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { build } from './build.mjs';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const status = build(root, { ifChanged: true });
if (status !== 0) process.exit(status);
await import(pathToFileURL(resolve(root, 'dist/src/auth/token.cli.js')).href);
