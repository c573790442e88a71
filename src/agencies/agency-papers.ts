import { ApiProperty } from '@nestjs/swagger';
import type { EntityManager } from 'typeorm';

/** Where an agency stands with one document type its approval needs: none sent, or the newest one's status. */
export class RequiredDocument {
  @ApiProperty() type: string;
  @ApiProperty({ enum: ['missing', 'pending', 'approved', 'rejected'] })
  status: 'missing' | 'pending' | 'approved' | 'rejected';
}

/**
 * What an agency's approval waits for: its papers, as the documents feature knows them (DocumentsModule
 * provides this; the agencies feature only asks).
 */
export abstract class AgencyPapers {
  /** Each required type and where the agency stands with it. */
  abstract requiredFor(manager: EntityManager, agencyId: string): Promise<RequiredDocument[]>;
  /** The required types without an approved document: the approval waits for them. */
  abstract missingFor(manager: EntityManager, agencyId: string): Promise<string[]>;
}
