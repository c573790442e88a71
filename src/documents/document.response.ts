import { ApiProperty } from '@nestjs/swagger';
import { DOCUMENT_STATUSES, type Document, type DocumentStatus, type DocumentType } from './document.entity.js';

export class DocumentResponse {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ enum: ['business_licence', 'insurance', 'registration', 'other', 'driving_licence', 'id_card'] })
  type: DocumentType;
  @ApiProperty({ enum: DOCUMENT_STATUSES }) status: DocumentStatus;
  @ApiProperty({ description: "Why it was rejected ('' when none)" }) reason: string;
  @ApiProperty({ description: 'The file, for its owner and the admin team only (GET, private)' }) url: string;
  @ApiProperty() contentType: string;
  @ApiProperty({ type: 'integer' }) size: number;
  @ApiProperty({ format: 'uuid', type: 'string', nullable: true }) agencyId: string | null;
  @ApiProperty({ type: 'string', nullable: true, description: "A renter's document: their sub" }) ownerSub:
    string | null;
  @ApiProperty({ format: 'date-time' }) createdAt: string;
  @ApiProperty({ format: 'date-time', type: 'string', nullable: true }) reviewedAt: string | null;
}

export function toDocumentResponse(
  document: Document,
  file: { contentType: string; size: number },
  filesPath: string,
): DocumentResponse {
  return {
    id: document.id,
    type: document.type,
    status: document.status,
    reason: document.reason ?? '',
    url: `${filesPath}/${document.fileId}`,
    contentType: file.contentType,
    size: file.size,
    agencyId: document.agencyId,
    ownerSub: document.ownerSub,
    createdAt: document.createdAt.toISOString(),
    reviewedAt: document.reviewedAt?.toISOString() ?? null,
  };
}
