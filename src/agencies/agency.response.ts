import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { emailChoicesOf, EmailChoicesResponse } from '../notifications/email-choices.js';
import { RequiredDocument } from './agency-papers.js';
import { AGENCY_STATUSES, type Agency, type AgencyStatus } from './agency.entity.js';

/**
 * What anyone may read of an active agency; the admin and the agency itself also get the private
 * fields. Strings are never null: '' when unknown (statusReason, a reason that may not exist, excepted).
 */
export class AgencyResponse {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ minLength: 1, maxLength: 100 }) name: string;
  @ApiProperty({ description: "'' when unknown" }) city: string;
  @ApiProperty({ description: "'' when unknown" }) phone: string;
  @ApiProperty({ description: "'' when unknown" }) email: string;
  @ApiProperty({ type: 'number', nullable: true, description: 'Average rating over its cars’ shown reviews' })
  averageRating: number | null;
  @ApiProperty({ type: 'integer' }) reviewCount: number;
  @ApiProperty({ type: 'integer', description: 'Cars in its fleet (deleted ones not counted)' }) carCount: number;
  @ApiProperty({ type: 'integer', description: 'Bookings of its cars, every status' }) bookingCount: number;
  @ApiProperty({ description: "'' when unknown" }) website: string;
  @ApiProperty({ description: "Who to ask at the agency; '' when unknown" }) contactName: string;
  @ApiProperty({ format: 'date-time' }) createdAt: string;
  @ApiPropertyOptional({ enum: AGENCY_STATUSES, description: 'Admin and the agency itself' }) status?: AgencyStatus;
  @ApiPropertyOptional({ type: 'string', nullable: true }) statusReason?: string | null;
  @ApiPropertyOptional({ description: "'' when unknown" }) legalName?: string;
  @ApiPropertyOptional({ description: "'' when unknown" }) registrationNumber?: string;
  @ApiPropertyOptional({ description: "'' when unknown" }) address?: string;
  @ApiPropertyOptional({ format: 'date-time' }) updatedAt?: string;
  @ApiPropertyOptional({
    type: [RequiredDocument],
    description:
      'One agency read by the admin team or the agency itself: each document type its approval needs, and where it stands',
  })
  requiredDocuments?: RequiredDocument[];
  @ApiPropertyOptional({ description: "The language of its e-mails; '' when the platform default" }) locale?: string;
  @ApiPropertyOptional({ type: EmailChoicesResponse, description: 'Which e-mails it receives at `email`' })
  emailNotifications?: EmailChoicesResponse;
}

export interface AgencyStats {
  averageRating: number | null;
  reviewCount: number;
  carCount: number;
  bookingCount: number;
}

export function toAgencyResponse(agency: Agency, stats: AgencyStats, whole: boolean): AgencyResponse {
  const shown: AgencyResponse = {
    id: agency.id,
    name: agency.name,
    city: agency.city ?? '',
    phone: agency.phone ?? '',
    email: agency.email ?? '',
    website: agency.website ?? '',
    contactName: agency.contactName ?? '',
    ...stats,
    createdAt: agency.createdAt.toISOString(),
  };
  if (!whole) return shown;
  return {
    ...shown,
    status: agency.status,
    statusReason: agency.statusReason,
    legalName: agency.legalName ?? '',
    registrationNumber: agency.registrationNumber ?? '',
    address: agency.address ?? '',
    updatedAt: agency.updatedAt.toISOString(),
    locale: agency.locale ?? '',
    emailNotifications: emailChoicesOf(agency.emailNotifications),
  };
}
