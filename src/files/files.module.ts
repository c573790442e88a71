import { Module } from '@nestjs/common';
import { CarsModule } from '../cars/cars.module.js';
import { FileStore, PostgresFileStore } from './file-store.js';
import { FilesController } from './files.controller.js';
import { FilesRepository } from './files.repository.js';
import { FilesService } from './files.service.js';
import { UploadGuard } from './upload.guard.js';

/** Uploaded files: car photos (with resized copies), their bytes in PostgreSQL (FileStore). */
@Module({
  imports: [CarsModule],
  controllers: [FilesController],
  providers: [FilesRepository, FilesService, UploadGuard, { provide: FileStore, useClass: PostgresFileStore }],
  exports: [FilesRepository, FileStore, UploadGuard],
})
export class FilesModule {}
