import { describe, expect, it } from '@jest/globals';
import type { IdempotencyKey } from './idempotency-key.entity.js';
import type { IdempotencyRepository } from './idempotency.repository.js';
import { IdempotencyService } from './idempotency.service.js';

/**
 * The claim's decisions over a table held here: the repository's claim takes a key that is absent
 * (or expired, or whose lease ran out), and otherwise the stored record decides.
 */
function setup() {
  const records = new Map<string, Partial<IdempotencyKey>>();
  let vanishOnce = false;
  const repository = {
    claim: (client: string, key: string, fingerprint: string) => {
      const id = `${client}/${key}`;
      if (records.has(id)) return Promise.resolve(false);
      records.set(id, { client, key, fingerprint, statusCode: null, body: null });
      return Promise.resolve(true);
    },
    find: (client: string, key: string) => {
      if (vanishOnce) {
        vanishOnce = false;
        records.delete(`${client}/${key}`); // expired and swept between the two statements
        return Promise.resolve(null);
      }
      return Promise.resolve(records.get(`${client}/${key}`) ?? null);
    },
  } as unknown as IdempotencyRepository;
  return {
    service: new IdempotencyService(repository),
    records,
    vanishBeforeNextRead: () => (vanishOnce = true),
  };
}

describe('IdempotencyService.claim', () => {
  it('lets the first request with a key run, and tells a concurrent one it is in progress', async () => {
    const { service } = setup();
    const [first, second] = await Promise.all([service.claim('c', 'k', 'f'), service.claim('c', 'k', 'f')]);
    expect([first, second]).toEqual([{ kind: 'first' }, { kind: 'in-progress' }]);
  });

  it('replays a completed answer to the same request, and refuses the key for another request', async () => {
    const { service, records } = setup();
    await service.claim('c', 'k', 'f');
    records.set('c/k', { ...records.get('c/k'), statusCode: 201, body: { id: 'b1' } });
    expect(await service.claim('c', 'k', 'f')).toEqual({ kind: 'replay', statusCode: 201, body: { id: 'b1' } });
    expect(await service.claim('c', 'k', 'other body')).toEqual({ kind: 'mismatch' });
  });

  it('keeps keys of different clients apart', async () => {
    const { service } = setup();
    await service.claim('renter-1', 'k', 'f');
    expect(await service.claim('renter-2', 'k', 'f')).toEqual({ kind: 'first' });
  });

  it('claims again a key whose record expired and was removed between its two statements', async () => {
    const { service, vanishBeforeNextRead } = setup();
    await service.claim('c', 'k', 'f');
    vanishBeforeNextRead();
    expect(await service.claim('c', 'k', 'f')).toEqual({ kind: 'first' });
  });
});
