import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { mkdirSync, mkdtempSync, rmSync, unlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ENTRY, STAMP, staleInput } from '../scripts/build.mjs';

/** The rule `npm start` and `npm run token` follow before skipping tsc, on a project folder of files. */
describe('the build-skip rule (scripts/build.mjs --if-changed)', () => {
  let root: string;
  const at = (seconds: number) => new Date(Date.UTC(2026, 0, 1, 0, 0, seconds));
  const file = (path: string, seconds: number) => {
    const full = join(root, path);
    mkdirSync(join(full, '..'), { recursive: true });
    writeFileSync(full, '');
    utimesSync(full, at(seconds), at(seconds));
  };
  const folder = (path: string, seconds: number) => utimesSync(join(root, path), at(seconds), at(seconds));

  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), 'build-skip-'));
    for (const path of ['src/main.ts', 'src/cars/cars.service.ts', 'bench/run.ts', 'tsconfig.json', 'package.json'])
      file(path, 10);
    for (const path of ['src/cars', 'src', 'bench']) folder(path, 10);
    file(ENTRY, 20);
    file(STAMP, 20);
  });
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  it('skips the build when nothing changed since the last one', () => {
    expect(staleInput(root)).toBeUndefined();
  });

  it('builds after an edit in src/, however deep', () => {
    file('src/cars/cars.service.ts', 30);
    expect(staleInput(root)).toBe(join('src', 'cars', 'cars.service.ts'));
  });

  it('builds after a file is added or removed (its folder changes)', () => {
    unlinkSync(join(root, 'src/cars/cars.service.ts'));
    folder('src/cars', 30);
    expect(staleInput(root)).toBe(join('src', 'cars'));
  });

  it('builds after a change to the compiler settings or the other compiled folders', () => {
    file('tsconfig.json', 30);
    expect(staleInput(root)).toBe('tsconfig.json');
    file('tsconfig.json', 10);
    file('bench/run.ts', 30);
    expect(staleInput(root)).toBe(join('bench', 'run.ts'));
  });

  it('ignores what a benchmark writes under bench/results', () => {
    file('bench/results/bench-1.json', 30);
    folder('bench/results', 30);
    folder('bench', 10); // the folder was there at the last build: only its contents are new
    expect(staleInput(root)).toBeUndefined();
  });

  it('builds when there is no build yet, or its output is gone', () => {
    unlinkSync(join(root, STAMP));
    expect(staleInput(root)).toBe('no build yet');
    file(STAMP, 20);
    unlinkSync(join(root, ENTRY));
    expect(staleInput(root)).toBe('no build yet');
  });

  it('counts an edit made while the last build ran (the stamp keeps the time it started)', () => {
    file(STAMP, 20);
    file('src/main.ts', 21); // saved after the build began, before it ended
    expect(staleInput(root)).toBe(join('src', 'main.ts'));
  });
});
