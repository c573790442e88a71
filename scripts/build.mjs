// npm run build: compiles src/, bench/, deploy/ and ormconfig.ts into dist/ (tsc, incremental).
// With --if-changed (npm start, npm run token): compiles only when an input changed since the last
// build this script made, so that an unchanged tree starts at once. A stamp in dist/ records the time
// that build started: an edit made while it ran is still newer than the stamp.
import { spawnSync } from 'node:child_process';
import { mkdirSync, readdirSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import process from 'node:process';
import { fileURLToPath, pathToFileURL } from 'node:url';

/** What the build reads: a change to any of these (a file added, edited or removed) means a build. */
export const INPUTS = [
  'src',
  'bench',
  'deploy',
  'ormconfig.ts',
  'tsconfig.json',
  'tsconfig.build.json',
  'package.json',
];
export const STAMP = join('dist', '.build-stamp');
/** Inside the inputs, but written by runs rather than by hand: `npm run bench`'s output. */
const NOT_INPUTS = new Set([join('bench', 'results')]);
/** What `npm start` runs: without it there is nothing to skip to. */
export const ENTRY = join('dist', 'src', 'main.js');

const mtime = (path) => {
  try {
    return statSync(path).mtimeMs;
  } catch {
    return 0;
  }
};

/** The newest modification under `path`: its files, and its folders (a removed file changes its folder). */
function newest(path, root) {
  if (NOT_INPUTS.has(relative(root, path))) return { path, at: 0 };
  const stat = statSync(path, { throwIfNoEntry: false });
  if (!stat) return { path, at: 0 };
  let found = { path, at: stat.mtimeMs };
  if (stat.isDirectory()) {
    for (const entry of readdirSync(path)) {
      const inner = newest(join(path, entry), root);
      if (inner.at > found.at) found = inner;
    }
  }
  return found;
}

/**
 * Why `root` needs a build, or undefined when dist/ is as its inputs say: the input changed since the
 * last build (relative path), or that there is no build yet.
 */
export function staleInput(root) {
  const built = Math.min(mtime(join(root, STAMP)), mtime(join(root, ENTRY)) ? Infinity : 0);
  if (!built) return 'no build yet';
  for (const input of INPUTS) {
    const { path, at } = newest(join(root, input), root);
    if (at > built) return relative(root, path);
  }
  return undefined;
}

/** Compiles `root` (tsc's messages on stderr, so that stdout stays the caller's); the exit status. */
export function build(root, { ifChanged = false } = {}) {
  const reason = ifChanged ? staleInput(root) : 'asked';
  if (!reason) return 0;
  if (ifChanged) {
    process.stderr.write(
      reason === 'no build yet' ? 'Building (no build yet)…\n' : `Building (${reason} changed since the last build)…\n`,
    );
  }
  const started = new Date();
  const tsc = spawnSync(
    process.execPath,
    [join(root, 'node_modules/typescript/bin/tsc'), '-p', 'tsconfig.build.json'],
    {
      cwd: root,
      stdio: ['ignore', 2, 2],
    },
  );
  if (tsc.status !== 0) return tsc.status ?? 1;
  const stamp = join(root, STAMP);
  mkdirSync(dirname(stamp), { recursive: true });
  writeFileSync(stamp, '');
  utimesSync(stamp, started, started);
  return 0;
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
  process.exit(build(root, { ifChanged: process.argv.includes('--if-changed') }));
}
