import { Injectable, NotFoundException } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import { ownAgency, type Actor } from '../auth/actor.js';
import { Agency } from './agency.entity.js';
import { toAgencyResponse, type AgencyResponse } from './agency.response.js';

@Injectable()
export class AgenciesService {
  constructor(@InjectRepository(Agency) private readonly agencies: Repository<Agency>) {}

  async create(name: string): Promise<AgencyResponse> {
    return toAgencyResponse(await this.agencies.save(this.agencies.create({ name })));
  }

  async list(): Promise<AgencyResponse[]> {
    return (await this.agencies.find({ order: { createdAt: 'ASC', id: 'ASC' } })).map(toAgencyResponse);
  }

  /** Another agency's record is answered like a missing one. */
  async findOne(actor: Actor, id: string): Promise<AgencyResponse> {
    const own = ownAgency(actor);
    const agency = own !== undefined && own !== id ? null : await this.agencies.findOneBy({ id });
    if (!agency) throw new NotFoundException('Agency not found');
    return toAgencyResponse(agency);
  }
}
