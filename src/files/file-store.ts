import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource, EntityManager } from 'typeorm';
import type { Variant } from './file-bytes.js';
import { FileVariant } from './file-variant.entity.js';

/**
 * Where a file's bytes live. One implementation ships: the API's own PostgreSQL (PostgresFileStore).
 * An object store would implement the same three calls.
 */
export abstract class FileStore {
  /** Stores the variants of `fileId` in `manager`'s transaction (they commit with the file's record). */
  abstract put(manager: EntityManager, fileId: string, variants: Variant[]): Promise<void>;
  /** One variant of a file (width 0: the original), if stored. */
  abstract get(fileId: string, width: number): Promise<Variant | undefined>;
  /** Removes every variant of `fileId` in `manager`'s transaction. */
  abstract remove(manager: EntityManager, fileId: string): Promise<void>;
}

/**
 * Each variant is one `bytea` row of `file_variants` (PostgreSQL keeps a large value out of line,
 * compressed where it helps); a file's rows are written with its record and go with it.
 */
@Injectable()
export class PostgresFileStore extends FileStore {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {
    super();
  }

  async put(manager: EntityManager, fileId: string, variants: Variant[]): Promise<void> {
    await manager.insert(
      FileVariant,
      variants.map((variant) => ({
        fileId,
        width: variant.width,
        contentType: variant.contentType,
        size: variant.bytes.length,
        etag: variant.etag,
        bytes: variant.bytes,
      })),
    );
  }

  async get(fileId: string, width: number): Promise<Variant | undefined> {
    const row = await this.dataSource.manager.findOne(FileVariant, { where: { fileId, width } });
    return row ? { width: row.width, contentType: row.contentType, bytes: row.bytes, etag: row.etag } : undefined;
  }

  async remove(manager: EntityManager, fileId: string): Promise<void> {
    await manager.delete(FileVariant, { fileId });
  }
}
