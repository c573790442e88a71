import { Module } from '@nestjs/common';
import { FilesModule } from '../files/files.module.js';
import { DocumentsController } from './documents.controller.js';
import { DocumentsRepository } from './documents.repository.js';
import { DocumentsService } from './documents.service.js';

/** Papers for verification (agencies' and renters'), their files in the FileStore. */
@Module({
  imports: [FilesModule],
  controllers: [DocumentsController],
  providers: [DocumentsRepository, DocumentsService],
  exports: [DocumentsService],
})
export class DocumentsModule {}
