import { ApiProperty } from '@nestjs/swagger';
import type { AuditEntry } from './audit-entry.entity.js';
import { AUDITED_ENTITIES } from './dto/audit.query.js';

export class AuditEntryResponse {
  @ApiProperty() id: string;
  @ApiProperty({ format: 'date-time' }) at: string;
  @ApiProperty() actorSub: string;
  @ApiProperty({ enum: ['admin', 'agency', 'renter', 'open', 'system'] }) actorRole: string;
  @ApiProperty({ example: 'agency.status' }) action: string;
  @ApiProperty({ enum: AUDITED_ENTITIES }) entityType: string;
  @ApiProperty() entityId: string;
  @ApiProperty({ type: 'object', nullable: true, additionalProperties: true }) before: Record<string, unknown> | null;
  @ApiProperty({ type: 'object', nullable: true, additionalProperties: true }) after: Record<string, unknown> | null;
  @ApiProperty({ type: 'string', nullable: true }) reason: string | null;
  @ApiProperty({ type: 'string', nullable: true, description: 'The id the server gave the request that did it' })
  requestId: string | null;
  @ApiProperty({ type: 'string', nullable: true, description: 'The X-Request-Id the client sent with it, if any' })
  clientRequestId: string | null;
}

export function toAuditEntryResponse(entry: AuditEntry): AuditEntryResponse {
  return {
    id: entry.id,
    at: entry.at.toISOString(),
    actorSub: entry.actorSub,
    actorRole: entry.actorRole,
    action: entry.action,
    entityType: entry.entityType,
    entityId: entry.entityId,
    before: entry.before,
    after: entry.after,
    reason: entry.reason,
    requestId: entry.requestId,
    clientRequestId: entry.clientRequestId,
  };
}
