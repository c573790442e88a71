// npm run -s token -- --role …: prints a development token and nothing else. Builds first only when
// a source file changed since the last build it made, or the CLI is not built (tsc's output goes to
// stderr), so that it stays quick. tsc leaves unchanged outputs alone: a stamp records the build.
import { spawnSync } from 'node:child_process';
import { readdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import process from 'node:process';
import { URL } from 'node:url';

const cli = 'dist/src/auth/token.cli.js';
const stamp = 'dist/.token-build';
const mtime = (file) => {
  try {
    return statSync(file).mtimeMs;
  } catch {
    return 0;
  }
};
const built = mtime(cli) && Math.max(mtime(cli), mtime(stamp));
const newest = (dir) =>
  Math.max(
    0,
    ...readdirSync(dir, { withFileTypes: true }).map((entry) =>
      entry.isDirectory() ? newest(join(dir, entry.name)) : statSync(join(dir, entry.name)).mtimeMs,
    ),
  );
if (newest('src') > built) {
  const build = spawnSync(process.execPath, ['node_modules/typescript/bin/tsc', '-p', 'tsconfig.build.json'], {
    stdio: ['ignore', 2, 2],
  });
  if (build.status !== 0) process.exit(build.status ?? 1);
  writeFileSync(stamp, '');
}
await import(new URL(`../${cli}`, import.meta.url).href);
