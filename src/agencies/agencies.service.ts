import { Injectable } from '@nestjs/common';
import type { Actor } from '../access/actor.js';
import { policies } from '../access/policies.js';
import { ACTIVE, isActive } from '../access/standing-rule.js';
import { AtomicWrite } from '../database/atomic-write.js';
import { TableChanges } from '../database/table-changes.js';
import { Transactions } from '../database/transactions.js';
import { addNotice } from '../notifications/notice.js';
import { agencyStatusNotice } from './agency.notices.js';
import { Agency, BUILT_IN_AGENCY_ID } from './agency.entity.js';
import { toAgencyResponse, type AgencyResponse } from './agency.response.js';
import { AgenciesRepository } from './agencies.repository.js';
import type { Page } from '../common/pagination.query.js';
import type { AgencyProfileDto, AgencyStatusDto, CreateAgencyDto, ListAgenciesQuery } from './dto/agency.dto.js';
import { Conflict, InvalidInput, NotAllowed, NotFound } from '../common/domain-errors.js';
import { AgencyPapers } from './agency-papers.js';
import { changeEmailChoices } from '../notifications/email-choices.js';

@Injectable()
export class AgenciesService {
  constructor(
    private readonly agencies: AgenciesRepository,
    private readonly transactions: Transactions,
    private readonly changes: TableChanges,
    private readonly papers: AgencyPapers,
  ) {}

  async create(dto: CreateAgencyDto): Promise<AgencyResponse> {
    const agency = await this.transactions.run((manager) =>
      manager.save(manager.create(Agency, { status: ACTIVE, ...dto })),
    );
    this.changes.committed('agencies');
    return this.respond(agency, true);
  }

  /**
   * The agencies `actor` may list: the public the active ones (their public profile), an agency
   * those and itself, the admin team every one whole; with `q`, `status` and a page.
   */
  async list(query: ListAgenciesQuery, actor: Actor): Promise<Page<AgencyResponse>> {
    const manager = this.transactions.manager;
    const { items, total } = await this.agencies.list(manager, policies.agencies(actor), query);
    const stats = await this.agencies.stats(
      manager,
      items.map((agency) => agency.id),
    );
    return {
      items: items.map((agency) =>
        toAgencyResponse(agency, stats.get(agency.id)!, policies.managesAgency(actor, agency.id)),
      ),
      total,
    };
  }

  /**
   * Anyone reads an active agency's public profile; the admin and the agency itself read every field,
   * whatever its status. A pending or suspended agency is a 404 for everyone else.
   */
  async findOne(actor: Actor, id: string): Promise<AgencyResponse> {
    const agency = await this.agencies.find(this.transactions.manager, id);
    const whole = policies.managesAgency(actor, id);
    if (!agency || (!whole && !isActive(agency))) throw new NotFound('Agency not found');
    return this.respond(agency, whole);
  }

  /** The agency itself or the admin edits its profile. */
  async update(actor: Actor, id: string, dto: AgencyProfileDto): Promise<AgencyResponse> {
    if (!policies.managesAgency(actor, id)) {
      throw new NotAllowed('Only the agency itself or the admin may edit its profile');
    }
    const saved = await this.transactions.run(async (manager) => {
      const agency = await this.agencies.find(manager, id, true);
      if (!agency) throw new NotFound('Agency not found');
      const { emailNotifications, ...profile } = dto;
      Object.assign(agency, profile);
      if (emailNotifications)
        agency.emailNotifications = changeEmailChoices(agency.emailNotifications, emailNotifications);
      return manager.save(agency);
    });
    this.changes.committed('agencies');
    return this.respond(saved, true);
  }

  /**
   * The admin approves, suspends and reinstates an agency; the agency is told (a SYSTEM notification
   * in the same transaction). The built-in agency of open mode stays active.
   */
  async setStatus(id: string, dto: AgencyStatusDto): Promise<AgencyResponse> {
    if ((dto.status === 'suspended' || dto.status === 'rejected') && !dto.reason) {
      throw new InvalidInput(`reason is required to ${dto.status === 'suspended' ? 'suspend' : 'reject'} an agency`);
    }
    const saved = await this.transactions.run(async (manager) => {
      const agency = await this.agencies.find(manager, id, true);
      if (!agency) throw new NotFound('Agency not found');
      if (id === BUILT_IN_AGENCY_ID && dto.status !== 'active') {
        throw new Conflict('The built-in agency of open mode stays active');
      }
      if (agency.status === dto.status && (dto.reason ?? null) === agency.statusReason) return agency;
      if (agency.status === 'pending' && dto.status === ACTIVE) {
        const missing = await this.papers.missingFor(manager, id);
        if (missing.length > 0) {
          throw new Conflict(`The agency cannot be approved before its ${missing.join(' and ')} are approved`);
        }
      }
      agency.status = dto.status;
      agency.statusReason = dto.status === ACTIVE ? null : (dto.reason ?? null);
      const updated = await manager.save(agency);
      await addNotice(new AtomicWrite(), agencyStatusNotice(updated)).run(manager);
      return updated;
    });
    this.changes.committed('agencies');
    return this.respond(saved, true);
  }

  private async respond(agency: Agency, whole: boolean): Promise<AgencyResponse> {
    const manager = this.transactions.manager;
    const stats = await this.agencies.stats(manager, [agency.id]);
    const response = toAgencyResponse(agency, stats.get(agency.id)!, whole);
    return whole ? { ...response, requiredDocuments: await this.papers.requiredFor(manager, agency.id) } : response;
  }
}
