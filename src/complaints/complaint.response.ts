import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import type { ComplaintMessage } from './complaint-message.entity.js';
import {
  COMPLAINT_CATEGORIES,
  COMPLAINT_PRIORITIES,
  COMPLAINT_STATUSES,
  type Complaint,
  type ComplaintCategory,
  type ComplaintPriority,
  type ComplaintStatus,
} from './complaint.entity.js';

export class ComplaintResponse {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ type: 'string', format: 'uuid', nullable: true, description: 'null: a support request' })
  bookingId: string | null;
  @ApiProperty({ type: 'string', format: 'uuid', nullable: true, description: "null: a renter's support request" })
  agencyId: string | null;
  @ApiProperty({ description: "The agency's name ('' without an agency)" }) agencyName: string;
  @ApiProperty({
    type: 'string',
    nullable: true,
    description: "The booking's renter when they have an account, or the renter asking for support",
  })
  renterSub: string | null;
  @ApiProperty({ description: "The renter's display name ('' when unknown)" }) renterName: string;
  @ApiProperty({ description: "What a support request is about ('' when not given)" }) subject: string;
  @ApiProperty() filedBySub: string;
  @ApiProperty({ enum: ['renter', 'agency'] }) filedByRole: string;
  @ApiProperty({ enum: COMPLAINT_CATEGORIES }) category: ComplaintCategory;
  @ApiProperty() description: string;
  @ApiProperty({ enum: COMPLAINT_STATUSES }) status: ComplaintStatus;
  @ApiPropertyOptional({ enum: COMPLAINT_PRIORITIES, description: 'Triage: shown to the admin team only' })
  priority?: ComplaintPriority;
  @ApiPropertyOptional({ type: 'string', nullable: true, description: 'Triage: shown to the admin team only' })
  assignee?: string | null;
  @ApiProperty({ format: 'date-time' }) createdAt: string;
  @ApiProperty({ format: 'date-time' }) updatedAt: string;
}

export class ComplaintMessageResponse {
  @ApiProperty() id: string;
  @ApiProperty({ format: 'uuid' }) complaintId: string;
  @ApiProperty() authorSub: string;
  @ApiProperty({ enum: ['renter', 'agency', 'admin'] }) authorRole: string;
  @ApiProperty() content: string;
  @ApiProperty({ description: 'An internal note of the admin team' }) internal: boolean;
  @ApiProperty({ format: 'date-time' }) createdAt: string;
}

/**
 * A complaint as `view` reads it: the admin team with its triage (priority, assignee), the parties
 * (the renter, the agency) without it: how the team works a case is the team's.
 */
export function toComplaintResponse(complaint: Complaint, view: 'admin' | 'party'): ComplaintResponse {
  const response: ComplaintResponse = {
    id: complaint.id,
    bookingId: complaint.bookingId,
    agencyId: complaint.agencyId,
    agencyName: complaint.agencyName ?? '',
    renterSub: complaint.renterSub,
    renterName: complaint.renterName ?? '',
    subject: complaint.subject,
    filedBySub: complaint.filedBySub,
    filedByRole: complaint.filedByRole,
    category: complaint.category,
    description: complaint.description,
    status: complaint.status,
    createdAt: complaint.createdAt.toISOString(),
    updatedAt: complaint.updatedAt.toISOString(),
  };
  return view === 'admin' ? { ...response, priority: complaint.priority, assignee: complaint.assignee } : response;
}

export function toComplaintMessageResponse(message: ComplaintMessage): ComplaintMessageResponse {
  return {
    id: message.id,
    complaintId: message.complaintId,
    authorSub: message.authorSub,
    authorRole: message.authorRole,
    content: message.content,
    internal: message.internal,
    createdAt: message.createdAt.toISOString(),
  };
}
