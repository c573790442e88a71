import {
  BadRequestException,
  ConflictException,
  ForbiddenException,
  Injectable,
  NotFoundException,
} from '@nestjs/common';
import { InjectDataSource, InjectRepository } from '@nestjs/typeorm';
import { DataSource, Repository } from 'typeorm';
import { hasRole, ownAgency, type Actor } from '../auth/actor.js';
import { audit } from '../audit/audit.js';
import { AtomicWrite } from '../database/atomic-write.js';
import { TableChanges } from '../database/table-changes.js';
import { addNotice } from '../realtime/outbox.js';
import { agencyStatusNotice } from './agency.notices.js';
import { Agency, BUILT_IN_AGENCY_ID } from './agency.entity.js';
import { toAgencyResponse, type AgencyResponse, type AgencyStats } from './agency.response.js';
import type { AgencyProfileDto, AgencyStatusDto, CreateAgencyDto } from './dto/agency.dto.js';

interface StatsRow {
  agency_id: string;
  car_count: number;
  review_count: number;
  rating_sum: number;
}

@Injectable()
export class AgenciesService {
  constructor(
    @InjectRepository(Agency) private readonly agencies: Repository<Agency>,
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly changes: TableChanges,
  ) {}

  async create(dto: CreateAgencyDto): Promise<AgencyResponse> {
    const agency = await this.agencies.save(this.agencies.create({ status: 'active', ...dto }));
    this.changes.committed('agencies');
    return this.respond(agency, true);
  }

  async list(): Promise<AgencyResponse[]> {
    const agencies = await this.agencies.find({ order: { createdAt: 'ASC', id: 'ASC' } });
    const stats = await this.stats(agencies.map((agency) => agency.id));
    return agencies.map((agency) => toAgencyResponse(agency, stats.get(agency.id)!, true));
  }

  /**
   * Anyone reads an active agency's public profile; the admin and the agency itself read every field,
   * whatever its status. A pending or suspended agency is a 404 for everyone else.
   */
  async findOne(actor: Actor, id: string): Promise<AgencyResponse> {
    const agency = await this.agencies.findOneBy({ id });
    const whole = mayManage(actor, id);
    if (!agency || (!whole && agency.status !== 'active')) throw new NotFoundException('Agency not found');
    return this.respond(agency, whole);
  }

  /** The agency itself or the admin edits its profile. */
  async update(actor: Actor, id: string, dto: AgencyProfileDto): Promise<AgencyResponse> {
    if (!mayManage(actor, id)) throw new ForbiddenException('Only the agency itself or the admin may edit its profile');
    const agency = await this.agencies.findOneBy({ id });
    if (!agency) throw new NotFoundException('Agency not found');
    const saved = await this.agencies.save(this.agencies.merge(agency, dto));
    return this.respond(saved, true);
  }

  /**
   * The admin approves, suspends and reinstates an agency; the agency is told (a SYSTEM notification
   * in the same transaction). The built-in agency of open mode stays active.
   */
  async setStatus(id: string, dto: AgencyStatusDto, actor: Actor): Promise<AgencyResponse> {
    if (dto.status === 'suspended' && !dto.reason)
      throw new BadRequestException('reason is required to suspend an agency');
    const saved = await this.dataSource.transaction(async (manager) => {
      const agency = await manager.findOne(Agency, { where: { id }, lock: { mode: 'pessimistic_write' } });
      if (!agency) throw new NotFoundException('Agency not found');
      if (id === BUILT_IN_AGENCY_ID && dto.status !== 'active') {
        throw new ConflictException('The built-in agency of open mode stays active');
      }
      if (agency.status === dto.status && (dto.reason ?? null) === agency.statusReason) return agency;
      const before = { status: agency.status, reason: agency.statusReason };
      agency.status = dto.status;
      agency.statusReason = dto.status === 'active' ? null : (dto.reason ?? null);
      const updated = await manager.save(agency);
      const write = addNotice(new AtomicWrite(), agencyStatusNotice(updated));
      audit(write, actor, {
        action: 'agency.status',
        entityType: 'agency',
        entityId: id,
        before,
        after: { status: updated.status, reason: updated.statusReason },
        reason: dto.reason,
      });
      await write.run(manager);
      return updated;
    });
    this.changes.committed('agencies');
    return this.respond(saved, true);
  }

  private async respond(agency: Agency, whole: boolean): Promise<AgencyResponse> {
    return toAgencyResponse(agency, (await this.stats([agency.id])).get(agency.id)!, whole);
  }

  /** Cars, and the count and average of their shown reviews (car_ratings), per agency. */
  private async stats(ids: string[]): Promise<Map<string, AgencyStats>> {
    const rows = await this.dataSource.query<StatsRow[]>(
      `SELECT a.id AS agency_id, count(c.id)::int AS car_count,
              coalesce(sum(r.review_count), 0)::int AS review_count, coalesce(sum(r.rating_sum), 0)::int AS rating_sum
         FROM unnest($1::uuid[]) AS a(id)
         LEFT JOIN cars c ON c.agency_id = a.id AND c.deleted_at IS NULL
         LEFT JOIN car_ratings r ON r.car_id = c.id
        GROUP BY a.id`,
      [ids],
    );
    return new Map(
      rows.map((row) => [
        row.agency_id,
        {
          carCount: row.car_count,
          reviewCount: row.review_count,
          averageRating: row.review_count === 0 ? null : Math.round((row.rating_sum / row.review_count) * 100) / 100,
        },
      ]),
    );
  }
}

/** The admin, open mode, and the agency itself. */
function mayManage(actor: Actor, id: string): boolean {
  return actor.kind === 'open' || hasRole(actor, 'admin') || ownAgency(actor) === id;
}
