import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import type { AgencyStanding, AgencyStatus } from './standing-rule.js';

/** The reads of the standing rule: an agency's status, and which accounts are suspended. */
@Injectable()
export class StandingRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async agency(id: string): Promise<AgencyStanding | null> {
    const [row] = await this.dataSource.query<{ status: AgencyStatus; status_reason: string | null }[]>(
      'SELECT status, status_reason FROM agencies WHERE id = $1',
      [id],
    );
    return row ? { status: row.status, reason: row.status_reason } : null;
  }

  /** The suspended accounts, as issuer and sub. */
  suspended(): Promise<{ issuer: string; sub: string }[]> {
    return this.dataSource.query(`SELECT issuer, sub FROM users WHERE status = 'suspended'`);
  }
}
