import { Injectable } from '@nestjs/common';
import type { Actor } from '../access/actor.js';
import type { CarResponse } from '../cars/car.response.js';
import { CarsService } from '../cars/cars.service.js';
import { policies } from '../access/policies.js';
import { InvalidInput, NotFound } from '../common/domain-errors.js';
import { InvalidatedCache } from '../database/invalidated-cache.js';
import { TableChanges } from '../database/table-changes.js';
import { Transactions } from '../database/transactions.js';
import { contentTypeOf, IMAGE_TYPES, variantsOf, type Variant } from './file-bytes.js';
import { FileStore } from './file-store.js';
import { FilesRepository } from './files.repository.js';

/** Variants kept in memory per process (they never change; a removal clears them everywhere). */
const CACHED_VARIANTS = 500;

/** What GET /files/:id sends. */
export interface ServedFile extends Variant {
  /** Cacheable by anyone (a car photo), or private to its owner and the admin team (a document). */
  public: boolean;
}

/**
 * Car photos: stored with resized copies, listed in the car's `images` by URL, served to everyone
 * (documents' files are written by DocumentsService and served here to who may see them).
 * The bytes commit in the transaction that records the file and changes the car, so a failed
 * request leaves nothing behind.
 */
@Injectable()
export class FilesService {
  private readonly cache: InvalidatedCache<ServedFile>;

  constructor(
    private readonly files: FilesRepository,
    private readonly store: FileStore,
    private readonly cars: CarsService,
    private readonly transactions: Transactions,
    private readonly changes: TableChanges,
  ) {
    this.cache = new InvalidatedCache(changes, ['files'], CACHED_VARIANTS);
  }

  /** Adds a photo to the car's `images` (last), as `${filesUrl}/<file id>`. */
  async addCarImage(carId: string, bytes: Buffer, filesUrl: string, actor: Actor): Promise<CarResponse> {
    const contentType = await contentTypeOf(bytes, IMAGE_TYPES);
    // Decoded and resized before the transaction: no connection waits on the CPU work.
    const variants = await variantsOf(bytes, contentType);
    await this.transactions.run((manager) =>
      this.cars.editImages(manager, carId, actor, async (car) => {
        const file = await this.files.create(manager, {
          kind: 'car_image',
          contentType,
          size: bytes.length,
          carId,
          agencyId: car.agencyId,
        });
        await this.store.put(manager, file.id, variants);
        return [...car.images, `${filesUrl}/${file.id}`];
      }),
    );
    this.changes.committed('cars');
    return this.cars.findOne(carId, actor);
  }

  /** Removes one of the car's photos (from `images` and the store); the others keep their order. */
  async removeCarImage(carId: string, fileId: string, actor: Actor): Promise<CarResponse> {
    await this.transactions.run((manager) =>
      this.cars.editImages(manager, carId, actor, async (car) => {
        const file = await this.files.find(manager, fileId);
        if (!file || file.carId !== carId) throw new NotFound('No such photo of this car');
        await this.store.remove(manager, fileId);
        await this.files.remove(manager, fileId);
        return car.images.filter((url) => !url.endsWith(`/files/${fileId}`));
      }),
    );
    this.changes.committed('cars');
    this.changes.committed('files');
    return this.cars.findOne(carId, actor);
  }

  /** A car photo's copy this process already holds (the fast path of GET /files/:id), if any. */
  cached(fileId: string, width: number | undefined): ServedFile | undefined {
    return this.cache.get(`${fileId}:${width ?? 1280}`);
  }

  /**
   * A car photo's copy of `width` (320 or 1280; 1280 when not given), for anyone; a document as it
   * was sent, for its owner and the admin team only (404 for anyone else).
   */
  async read(fileId: string, width: number | undefined, actor: Actor): Promise<ServedFile> {
    const key = `${fileId}:${width ?? 1280}`;
    const cached = this.cached(fileId, width);
    if (cached) return cached;
    const file = await this.files.find(this.transactions.manager, fileId);
    if (!file) throw new NotFound('File not found');
    if (file.kind !== 'car_image') {
      if (!policies.seesDocument(actor, file)) throw new NotFound('File not found');
      if (width !== undefined) throw new InvalidInput('A document is served as it was sent: no w');
      const original = await this.store.get(fileId, 0);
      if (!original) throw new NotFound('File not found');
      return { ...original, public: false };
    }
    return this.cache.load(key, async () => {
      const variant = await this.store.get(fileId, width ?? 1280);
      if (!variant) throw new NotFound('File not found');
      return { ...variant, public: true };
    });
  }
}
