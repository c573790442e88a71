import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { crc32 } from 'node:zlib';
import sharp from 'sharp';
import request from 'supertest';
import { createTestApp, type TestApp } from './support/app.js';
import { carInput } from './support/builders.js';
import { withClient } from './support/database.js';
import { signToken, TEST_SECRET } from './support/tokens.js';

const MAX_BYTES = 300_000;

/** A PNG that declares `width` × `height` pixels in its header and holds no real pixel data. */
function declaredPng(width: number, height: number): Buffer {
  const chunk = (type: string, data: Buffer) => {
    const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
    const length = Buffer.alloc(4);
    length.writeUInt32BE(data.length);
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(crc32(body));
    return Buffer.concat([length, body, crc]);
  };
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header.writeUInt8(8, 8); // bit depth
  header.writeUInt8(2, 9); // RGB
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('IDAT', Buffer.from([0x78, 0x9c, 0x03, 0x00, 0x00, 0x00, 0x00, 0x01])),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

/** A real photo-like JPEG with EXIF data (a copyright and a location-like description). */
const photo = (width: number, height: number, color: string) =>
  sharp({ create: { width, height, channels: 3, background: color } })
    .jpeg({ quality: 70 })
    .withExif({ IFD0: { Copyright: 'Atlas', ImageDescription: 'Taken at 31.6295 N, 7.9811 W' } })
    .toBuffer();

describe('Token mode: car photos', () => {
  let t: TestApp;
  let carA: string;
  const tokens: Record<string, string> = {};
  const as = (who: string) => ({ Authorization: `Bearer ${tokens[who]}` });
  const api = () => request(t.url);
  const upload = (who: string, car: string, bytes: Buffer, name = 'photo.jpg') =>
    api().post(`/cars/${car}/images`).set(as(who)).attach('file', bytes, name);
  const fileCount = () =>
    withClient(t.databaseUrl, async (client) => (await client.query('SELECT count(*)::int AS n FROM files')).rows[0].n);

  beforeAll(async () => {
    t = await createTestApp({ AUTH_JWT_SECRET: TEST_SECRET, UPLOAD_MAX_BYTES: String(MAX_BYTES) });
    tokens.admin = await signToken({ sub: 'admin-1', role: 'admin' });
    const agency = async (name: string) =>
      (await api().post('/agencies').set(as('admin')).send({ name }).expect(201)).body.id as string;
    const [a, b] = [await agency('Atlas'), await agency('Bahia')];
    tokens.A = await signToken({ sub: 'clerk-a', role: 'agency', agency_id: a });
    tokens.B = await signToken({ sub: 'clerk-b', role: 'agency', agency_id: b });
    tokens.r = await signToken({ sub: 'renter-1', role: 'renter' });
    carA = (
      await api()
        .post('/cars')
        .set(as('A'))
        .send(carInput({ images: [] }))
        .expect(201)
    ).body.id;
  });
  afterAll(() => t.close());

  it('stores a photo with resized WebP copies without its EXIF, lists its URL and serves it cacheably', async () => {
    const jpeg = await photo(2000, 1000, '#c0392b');
    const added = await upload('A', carA, jpeg).expect(201);
    expect(added.body.images).toEqual([expect.stringMatching(new RegExp(`^${t.url}/files/[0-9a-f-]{36}$`))]);
    const url = added.body.images[0] as string;
    const path = url.slice(t.url.length);

    for (const width of [320, 1280]) {
      const copy = await api().get(`${path}?w=${width}`).buffer(true).expect(200);
      expect(copy.headers['content-type']).toBe('image/webp');
      expect(copy.headers['cache-control']).toBe('public, max-age=31536000, immutable');
      expect(copy.headers.etag).toMatch(/^"[A-Za-z0-9_-]{43}"$/);
      const meta = await sharp(copy.body as Buffer).metadata();
      expect(meta).toMatchObject({ format: 'webp', width, height: width / 2 });
      expect(meta.exif).toBeUndefined();
      await api().get(`${path}?w=${width}`).set('If-None-Match', copy.headers.etag).expect(304);
    }
    const standard = await api().get(path).buffer(true).expect(200);
    expect((await sharp(standard.body as Buffer).metadata()).width).toBe(1280);
    // A small photo is not enlarged.
    const small = await upload('A', carA, await photo(200, 100, '#2980b9')).expect(201);
    const smallPath = (small.body.images[1] as string).slice(t.url.length);
    expect((await sharp((await api().get(`${smallPath}?w=1280`).buffer(true)).body as Buffer).metadata()).width).toBe(
      200,
    );

    await api().get(`${path}?w=999`).expect(400);
    await api().get(`${path}?size=320`).expect(400);
    await api().get('/files/00000000-0000-4000-8000-000000000000').expect(404);
    await api().get('/files/not-a-uuid').expect(400);
  });

  it('keeps the order, removes one photo and its bytes, and leaves other agencies and renters out', async () => {
    const car = (
      await api()
        .post('/cars')
        .set(as('A'))
        .send(carInput({ images: ['/placeholder.svg'] }))
        .expect(201)
    ).body.id as string;
    const colors = ['#111111', '#555555', '#999999'];
    let images: string[] = [];
    for (const color of colors) images = (await upload('A', car, await photo(400, 300, color)).expect(201)).body.images;
    expect(images).toHaveLength(4);
    const middle = images[2].split('/').pop()!;
    await api().get(`/files/${middle}`).expect(200); // now held in memory, answered before the route
    await api().get(`/files/${middle}?w=320&x=1`).expect(400);
    const after = await api().delete(`/cars/${car}/images/${middle}`).set(as('A')).expect(200);
    expect(after.body.images).toEqual([images[0], images[1], images[3]]);
    await api().get(`/files/${middle}`).expect(404);
    await api().delete(`/cars/${car}/images/${middle}`).set(as('A')).expect(404);

    const before = await fileCount();
    await upload('B', car, await photo(100, 100, '#000000')).expect(404);
    await upload('r', car, await photo(100, 100, '#000000')).expect(403);
    await api()
      .post(`/cars/${car}/images`)
      .attach('file', await photo(100, 100, '#000000'), 'p.jpg')
      .expect(401);
    await upload('A', '00000000-0000-4000-8000-000000000000', await photo(100, 100, '#000000')).expect(404);
    // The admin team adds to any car; the change is in the audit trail as the car's.
    await upload('admin', car, await photo(100, 100, '#000000')).expect(201);
    expect(await fileCount()).toBe(before + 1);
    const trail = await api().get(`/audit?entity=car&entityId=${car}&action=car.update`).set(as('admin')).expect(200);
    expect(trail.body[0]).toMatchObject({ actorSub: 'admin-1', after: { images: expect.any(Array) } });
  });

  it('answers bad files clearly and changes nothing', async () => {
    const before = await fileCount();
    const { images } = (await api().get(`/cars/${carA}`).expect(200)).body;
    const html = Buffer.from('<!doctype html><html><body><script>alert(1)</script></body></html>');
    const svg = Buffer.from('<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><rect/></svg>');
    const exe = Buffer.concat([Buffer.from('MZ'), Buffer.alloc(512, 0x90)]);
    for (const [bytes, name] of [
      [html, 'photo.png'],
      [svg, 'photo.svg'],
      [exe, 'photo.jpg'],
    ] as const) {
      const refused = await upload('A', carA, bytes, name).expect(415);
      expect(refused.body.message).toMatch(/^The file must be image\/jpeg, image\/png, image\/webp/);
    }
    // A decompression bomb: 50,000 × 50,000 pixels declared in a few bytes, refused from its header.
    const started = Date.now();
    const bomb = await upload('A', carA, declaredPng(50_000, 50_000), 'bomb.png').expect(400);
    expect(bomb.body.message).toContain('50000 × 50000 pixels');
    expect(Date.now() - started).toBeLessThan(2000);
    await upload('A', carA, (await photo(100, 100, '#ffffff')).subarray(0, 300), 'cut.jpg').expect(400);

    const big = Buffer.concat([await photo(100, 100, '#ffffff'), Buffer.alloc(MAX_BYTES)]);
    const tooBig = await upload('A', carA, big).expect(413);
    expect(tooBig.body.message).toContain(`${MAX_BYTES} bytes`);
    const jpeg = await photo(100, 100, '#ffffff');
    await api()
      .post(`/cars/${carA}/images`)
      .set(as('A'))
      .attach('file', jpeg, 'a.jpg')
      .attach('file', jpeg, 'b.jpg')
      .expect(400);
    await api().post(`/cars/${carA}/images`).set(as('A')).attach('photo', jpeg, 'a.jpg').expect(400);
    await api()
      .post(`/cars/${carA}/images`)
      .set(as('A'))
      .field('caption', 'x')
      .attach('file', jpeg, 'a.jpg')
      .expect(400);
    await api().post(`/cars/${carA}/images`).set(as('A')).send({ file: 'x' }).expect(400);
    await api().post(`/cars/${carA}/images`).set(as('A')).set('Content-Type', 'text/plain').send('x').expect(415);
    // JSON routes still take JSON only.
    await api().post('/cars').set(as('A')).attach('file', jpeg, 'a.jpg').expect(415);

    expect(await fileCount()).toBe(before);
    expect((await api().get(`/cars/${carA}`).expect(200)).body.images).toEqual(images);
  });
});

describe('Photo URLs', () => {
  it('use PUBLIC_URL, else the origin the upload came to (a trusted proxy’s forwarded one)', async () => {
    const jpeg = await photo(100, 100, '#336699');
    const behindProxy = await createTestApp({ TRUST_PROXY: 'loopback' });
    try {
      const car = (await request(behindProxy.url).post('/cars').send(carInput()).expect(201)).body.id;
      const added = await request(behindProxy.url)
        .post(`/cars/${car}/images`)
        .set({ 'X-Forwarded-Proto': 'https', 'X-Forwarded-Host': 'api.example.com' })
        .attach('file', jpeg, 'p.jpg')
        .expect(201);
      expect(added.body.images.at(-1)).toMatch(/^https:\/\/api\.example\.com\/files\/[0-9a-f-]{36}$/);
    } finally {
      await behindProxy.close();
    }
    const configured = await createTestApp({ PUBLIC_URL: 'https://cdn.example.org/', API_PREFIX: 'api' });
    try {
      const car = (await request(configured.url).post('/api/cars').send(carInput()).expect(201)).body.id;
      const added = await request(configured.url)
        .post(`/api/cars/${car}/images`)
        .attach('file', jpeg, 'p.jpg')
        .expect(201);
      const url = added.body.images.at(-1) as string;
      expect(url).toMatch(/^https:\/\/cdn\.example\.org\/api\/files\/[0-9a-f-]{36}$/);
      await request(configured.url).get(new URL(url).pathname).expect(200);
    } finally {
      await configured.close();
    }
  });
});
