import { Module, RequestMethod, type MiddlewareConsumer, type NestModule } from '@nestjs/common';
import { FilesFastPath } from './files-fast-path.middleware.js';
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
export class FilesModule implements NestModule {
  configure(consumer: MiddlewareConsumer): void {
    consumer.apply(FilesFastPath).forRoutes({ path: 'files/:id', method: RequestMethod.GET });
  }
}
