import { ApiProperty } from '@nestjs/swagger';
import type { Agency } from './agency.entity.js';

export class AgencyResponse {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ minLength: 1, maxLength: 100 }) name: string;
  @ApiProperty({ format: 'date-time' }) createdAt: string;
}

export function toAgencyResponse(agency: Agency): AgencyResponse {
  return { id: agency.id, name: agency.name, createdAt: agency.createdAt.toISOString() };
}
