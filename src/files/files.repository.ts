import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { StoredFile } from './stored-file.entity.js';

/** The SQL of files' records (their bytes: FileStore). */
@Injectable()
export class FilesRepository {
  create(manager: EntityManager, file: Partial<StoredFile>): Promise<StoredFile> {
    return manager.save(manager.create(StoredFile, file));
  }

  find(manager: EntityManager, id: string): Promise<StoredFile | null> {
    return manager.findOne(StoredFile, { where: { id } });
  }

  async remove(manager: EntityManager, id: string): Promise<void> {
    await manager.delete(StoredFile, { id });
  }
}
