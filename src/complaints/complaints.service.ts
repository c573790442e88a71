import { ConflictException, ForbiddenException, Injectable, NotFoundException } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager, type FindOptionsWhere } from 'typeorm';
import { audit } from '../audit/audit.js';
import { actorStamp, hasRole, isUser, ownAgency, type Actor, type Role, type User } from '../auth/actor.js';
import { BookingsService } from '../bookings/bookings.service.js';
import type { Page, PaginationQuery } from '../common/pagination.query.js';
import { AtomicWrite } from '../database/atomic-write.js';
import { addNotice } from '../realtime/outbox.js';
import { ComplaintMessage } from './complaint-message.entity.js';
import { complaintNotices, type ComplaintEvent } from './complaint.notices.js';
import { Complaint, type ComplaintStatus } from './complaint.entity.js';
import {
  toComplaintMessageResponse,
  toComplaintResponse,
  type ComplaintMessageResponse,
  type ComplaintResponse,
} from './complaint.response.js';
import type {
  ComplaintMessageDto,
  CreateComplaintDto,
  ListComplaintsQuery,
  TriageComplaintDto,
} from './dto/complaints.dto.js';

const NEXT: Record<ComplaintStatus, readonly ComplaintStatus[]> = {
  open: ['in_review'],
  in_review: ['resolved', 'rejected'],
  resolved: [],
  rejected: [],
};

/**
 * Complaints about bookings: filed by a party (the booking's renter with an account, or its agency),
 * triaged by the admin team, discussed in a thread where the admins may also leave internal notes.
 * Every change and message is told to the other participants, in the transaction that makes it.
 * Token mode only: open mode has no parties to tell apart.
 */
@Injectable()
export class ComplaintsService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly bookings: BookingsService,
  ) {}

  async create(dto: CreateComplaintDto, actor: Actor): Promise<ComplaintResponse> {
    const user = tokenUser(actor);
    return this.dataSource.transaction(async (manager) => {
      // 404 unless the booking is the renter's own or of the agency's cars.
      const booking = await this.bookings.load(manager, dto.bookingId, user);
      const complaint = await manager.save(
        manager.create(Complaint, {
          bookingId: booking.id,
          agencyId: booking.car.agencyId,
          renterSub: booking.renterAccount ? booking.renterId : null,
          filedBySub: user.sub,
          filedByRole: user.role,
          category: dto.category,
          description: dto.description,
        }),
      );
      const response = toComplaintResponse(complaint);
      await tell(new AtomicWrite(), response, user.role, {
        title: 'New Complaint',
        message: `A complaint (${dto.category.replace('_', ' ')}) was filed about the booking of ${booking.car.make} ${booking.car.model}`,
      }).run(manager);
      return response;
    });
  }

  async list(query: ListComplaintsQuery, actor: Actor): Promise<Page<ComplaintResponse>> {
    const where = visibleTo(tokenUser(actor));
    if (query.status) where.status = query.status;
    if (query.priority) where.priority = query.priority;
    if (query.agencyId) where.agencyId = where.agencyId ?? query.agencyId;
    if (query.assignee) where.assignee = query.assignee;
    const [rows, total] = await this.dataSource.manager.findAndCount(Complaint, {
      where,
      order: { createdAt: 'DESC', id: 'ASC' },
      take: query.limit,
      skip: query.offset,
    });
    return { items: rows.map(toComplaintResponse), total };
  }

  async findOne(id: string, actor: Actor): Promise<ComplaintResponse> {
    return toComplaintResponse(await this.load(this.dataSource.manager, id, tokenUser(actor)));
  }

  /** The admin team triages: status along open → in_review → resolved | rejected, priority, assignee. */
  async triage(id: string, dto: TriageComplaintDto, actor: Actor): Promise<ComplaintResponse> {
    const admin = tokenUser(actor);
    return this.dataSource.transaction(async (manager) => {
      const complaint = await this.load(manager, id, admin, true);
      const before = { status: complaint.status, priority: complaint.priority, assignee: complaint.assignee };
      const statusChanges = dto.status !== undefined && dto.status !== complaint.status;
      if (statusChanges && !NEXT[complaint.status].includes(dto.status!)) {
        throw new ConflictException(`Cannot move a complaint from ${complaint.status} to ${dto.status}`);
      }
      if (statusChanges) complaint.status = dto.status!;
      if (dto.priority !== undefined) complaint.priority = dto.priority;
      if (dto.assignee !== undefined) complaint.assignee = dto.assignee;
      const after = { status: complaint.status, priority: complaint.priority, assignee: complaint.assignee };
      if (JSON.stringify(before) === JSON.stringify(after)) return toComplaintResponse(complaint);
      const response = toComplaintResponse(await manager.save(complaint));
      const write = audit(new AtomicWrite(), admin, {
        action: 'complaint.triage',
        entityType: 'complaint',
        entityId: id,
        before,
        after,
      });
      if (statusChanges) {
        tell(write, response, 'admin', {
          title: 'Complaint Updated',
          message: `Your complaint about a booking is now ${complaint.status.replace('_', ' ')}`,
        });
      }
      await write.run(manager);
      return response;
    });
  }

  /** The thread, oldest first: parties see what is not internal, the admin team everything. */
  async messages(id: string, page: PaginationQuery, actor: Actor): Promise<Page<ComplaintMessageResponse>> {
    const user = tokenUser(actor);
    await this.load(this.dataSource.manager, id, user);
    const [rows, total] = await this.dataSource.manager.findAndCount(ComplaintMessage, {
      where: user.role === 'admin' ? { complaintId: id } : { complaintId: id, internal: false },
      order: { id: 'ASC' },
      take: page.limit,
      skip: page.offset,
    });
    return { items: rows.map(toComplaintMessageResponse), total };
  }

  async post(id: string, dto: ComplaintMessageDto, actor: Actor): Promise<ComplaintMessageResponse> {
    const user = tokenUser(actor);
    const internal = dto.internal ?? false;
    if (internal && user.role !== 'admin') throw new ForbiddenException('Only the admin team writes internal notes');
    return this.dataSource.transaction(async (manager) => {
      const complaint = await this.load(manager, id, user);
      const message = await manager.save(
        manager.create(ComplaintMessage, {
          complaintId: id,
          authorSub: actorStamp(user).sub,
          authorRole: user.role,
          content: dto.content,
          internal,
        }),
      );
      const response = toComplaintMessageResponse(message);
      const event = {
        title: internal ? 'Internal Note' : 'New Complaint Message',
        message: dto.content,
        data: { message: response },
      };
      await tell(new AtomicWrite(), toComplaintResponse(complaint), user.role, event, internal).run(manager);
      return response;
    });
  }

  /** The complaint `id` if `user` takes part in it; 404 otherwise. */
  private async load(manager: EntityManager, id: string, user: User, lock = false): Promise<Complaint> {
    const complaint = await manager.findOne(Complaint, {
      where: { ...visibleTo(user), id },
      ...(lock ? { lock: { mode: 'pessimistic_write' as const } } : {}),
    });
    if (!complaint) throw new NotFoundException('Complaint not found');
    return complaint;
  }
}

/** Adds the notifications of `event` (see complaintNotices) to `write`, the change that raises it. */
function tell(
  write: AtomicWrite,
  complaint: ComplaintResponse,
  by: Role,
  event: ComplaintEvent,
  internal = false,
): AtomicWrite {
  for (const notice of complaintNotices(complaint, by, event, internal)) addNotice(write, notice);
  return write;
}

/** Complaints need a token: open mode has no renters, agencies and admins to tell apart. */
function tokenUser(actor: Actor): User {
  if (!isUser(actor)) throw new ForbiddenException('Complaints need token mode (a bearer token)');
  return actor;
}

/** A renter's own, an agency's, every one for the admin team. */
function visibleTo(user: User): FindOptionsWhere<Complaint> {
  if (hasRole(user, 'renter')) return { renterSub: user.sub };
  const own = ownAgency(user);
  return own === undefined ? {} : { agencyId: own };
}
