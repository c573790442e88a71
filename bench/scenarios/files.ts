/**
 * Car photos: GET /files/:id?w=320 (50 connections) beside express.static serving the same bytes
 * from disk; then 200 uploads of a 4 MB JPEG (2 at a time), each timed to its response, and the
 * API's RSS (after a forced GC) before and after them.
 */
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import type { HttpLoadResult } from '../load/autocannon.js';
import { fixed, logger, percentile } from '../harness/common.js';
import { httpLoad, medianRun, ServerProcess } from '../harness/processes.js';

const log = logger('bench');
const UPLOADS = 200;
const UPLOADING_AT_ONCE = 2;

export interface FilesResult {
  api: HttpLoadResult;
  bare: HttpLoadResult;
  ratio: number;
  photoBytes: number;
  uploadP50: number;
  uploadP99: number;
  rssBefore: number;
  /** After half the uploads: with the figure after all of them, whether the growth levels off. */
  rssHalfway: number;
  rssAfter: number;
}

/** A photo-like JPEG of about 4 MB (noise compresses as badly as a detailed photo). */
async function fourMegabytePhoto(): Promise<Buffer> {
  const [width, height] = [3200, 2100];
  return sharp(randomBytes(width * height * 3), { raw: { width, height, channels: 3 } })
    .jpeg({ quality: 80 })
    .toBuffer();
}

async function upload(apiUrl: string, carId: string, photo: Buffer): Promise<{ ms: number; url: string }> {
  const form = new FormData();
  form.append('file', new Blob([new Uint8Array(photo)], { type: 'image/jpeg' }), 'photo.jpg');
  const started = performance.now();
  const response = await fetch(`${apiUrl}/cars/${carId}/images`, { method: 'POST', body: form });
  if (response.status !== 201)
    throw new Error(`POST /cars/:id/images answered ${response.status}: ${await response.text()}`);
  const { images } = (await response.json()) as { images: string[] };
  return { ms: performance.now() - started, url: images[images.length - 1] };
}

export async function benchFiles(api: ServerProcess, carIds: string[], seconds: number): Promise<FilesResult> {
  const photo = await fourMegabytePhoto();
  log(`Files: a ${fixed(photo.length / 1024 / 1024, 2)} MB JPEG`);
  const { url } = await upload(api.url, carIds[0], photo);
  const path = `${new URL(url).pathname}?w=320`;
  const variant = Buffer.from(await (await fetch(`${api.url}${path}`)).arrayBuffer());
  const dir = await mkdtemp(join(tmpdir(), 'bench-static-'));
  await writeFile(join(dir, 'photo.webp'), variant);
  const bare = await ServerProcess.start('bare-static', '', { STATIC_DIR: dir });
  let apiLoad: HttpLoadResult;
  let bareLoad: HttpLoadResult;
  try {
    log(`GET /files/:id?w=320 (${variant.length} bytes): 3 rounds of ${seconds}s each with 50 connections`);
    await httpLoad({ url: `${api.url}${path}`, connections: 10, durationSeconds: 2 });
    await httpLoad({ url: `${bare.url}/files/photo.webp`, connections: 10, durationSeconds: 2 });
    const apiRuns: HttpLoadResult[] = [];
    const bareRuns: HttpLoadResult[] = [];
    for (let round = 0; round < 3; round++) {
      bareRuns.push(await httpLoad({ url: `${bare.url}/files/photo.webp`, connections: 50, durationSeconds: seconds }));
      apiRuns.push(await httpLoad({ url: `${api.url}${path}`, connections: 50, durationSeconds: seconds }));
    }
    apiLoad = medianRun(apiRuns);
    bareLoad = medianRun(bareRuns);
    const failed = [...apiRuns, ...bareRuns].reduce((sum, run) => sum + run.non2xx + run.errors, 0);
    if (failed > 0) throw new Error(`${failed} file requests failed`);
  } finally {
    await bare.stop();
    await rm(dir, { recursive: true, force: true });
  }

  log(`Uploads: ${UPLOADS} of the photo, ${UPLOADING_AT_ONCE} at a time`);
  const rssBefore = (await api.memory()).rss;
  const times: number[] = [];
  let next = 0;
  const uploadUpTo = (count: number) =>
    Promise.all(
      Array.from({ length: UPLOADING_AT_ONCE }, async () => {
        while (next < count) {
          const index = next++;
          times.push((await upload(api.url, carIds[1 + (index % (carIds.length - 1))], photo)).ms);
        }
      }),
    );
  await uploadUpTo(UPLOADS / 2);
  const rssHalfway = (await api.memory()).rss;
  await uploadUpTo(UPLOADS);
  const rssAfter = (await api.memory()).rss;
  times.sort((a, b) => a - b);
  return {
    api: apiLoad,
    bare: bareLoad,
    ratio: apiLoad.requestsPerSecond / bareLoad.requestsPerSecond,
    photoBytes: photo.length,
    uploadP50: percentile(times, 0.5),
    uploadP99: percentile(times, 0.99),
    rssBefore,
    rssHalfway,
    rssAfter,
  };
}

export function filesRows(result: FilesResult): string[][] {
  const mb = (bytes: number) => `${fixed(bytes / 1024 / 1024, 0)} MB`;
  return [
    [
      'GET /files/:id?w=320, 50 conn, req/s (p99 ms)',
      `${fixed(result.api.requestsPerSecond, 0)} (${result.api.latencyP99})`,
      `${fixed(result.bare.requestsPerSecond, 0)} (${result.bare.latencyP99}) express.static`,
      fixed(result.ratio, 2),
      '>= 0.80',
    ],
    [
      `Upload of a ${fixed(result.photoBytes / 1024 / 1024, 1)} MB JPEG to its response, p50 / p99 ms`,
      `${fixed(result.uploadP50, 0)} / ${fixed(result.uploadP99, 0)}`,
      '',
      '',
      '',
    ],
    [
      `API RSS before / after ${UPLOADS / 2} / after ${UPLOADS} uploads`,
      `${mb(result.rssBefore)} / ${mb(result.rssHalfway)} / ${mb(result.rssAfter)}`,
      '',
      `+${mb(result.rssAfter - result.rssBefore)}`,
      '<= +100 MB',
    ],
  ];
}
