/** Small helpers every benchmark shares: paths, logging, timing, statistics and the printed table. */
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The compiled bench folder (dist/bench), where the child-process scripts live. */
export const benchDir = resolve(dirname(fileURLToPath(import.meta.url)), '..');
export const projectRoot = resolve(benchDir, '..', '..');
export const resultsDir = join(projectRoot, 'bench', 'results');

export const sleep = (ms: number) => new Promise<void>((done) => setTimeout(done, ms));

/** Absolute high-resolution time, comparable between processes on one machine. */
export const now = () => performance.timeOrigin + performance.now();

export function logger(tag: string): (message: string) => void {
  return (message) => console.error(`[${tag}] ${message}`);
}

export function percentile(sorted: number[], q: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
}

export function postJson(url: string, body: unknown, headers: Record<string, string> = {}): Promise<Response> {
  return fetch(url, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', ...headers },
    body: JSON.stringify(body),
  });
}

export const fixed = (value: number, digits = 1) => (Number.isFinite(value) ? value.toFixed(digits) : '-');
export const kib = (bytes: number) => `${fixed(bytes / 1024)} KiB`;

/** Prints rows as an aligned table; the first row is the header. */
export function printTable(lines: string[][]): void {
  const widths = lines[0].map((_, column) => Math.max(...lines.map((line) => (line[column] ?? '').length)));
  console.log('');
  for (const [index, line] of lines.entries()) {
    console.log(line.map((cell, column) => (cell ?? '').padEnd(widths[column])).join('  '));
    if (index === 0) console.log(widths.map((width) => '-'.repeat(width)).join('  '));
  }
}

/** Writes `data` as JSON to bench/results/<name>.json and returns the path. */
export async function writeResults(name: string, data: unknown): Promise<string> {
  await mkdir(resultsDir, { recursive: true });
  const file = join(resultsDir, `${name}.json`);
  await writeFile(file, JSON.stringify(data, null, 2));
  return file;
}

export const timestamp = () => new Date().toISOString().replace(/[:.]/g, '-');
