import { Global, Module } from '@nestjs/common';
import { AgencyPapers } from '../agencies/agency-papers.js';
import { FilesModule } from '../files/files.module.js';
import { DocumentsController } from './documents.controller.js';
import { DocumentsRepository } from './documents.repository.js';
import { DocumentsService } from './documents.service.js';

/**
 * Papers for verification (agencies' and renters'), their files in the FileStore. Global: the
 * agencies feature asks it through AgencyPapers without importing it; accounts and bookings ask
 * whether a renter is verified.
 */
@Global()
@Module({
  imports: [FilesModule],
  controllers: [DocumentsController],
  providers: [DocumentsRepository, DocumentsService, { provide: AgencyPapers, useExisting: DocumentsService }],
  exports: [DocumentsService, AgencyPapers],
})
export class DocumentsModule {}
