import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { actorStamp, type Actor, type Role } from '../access/actor.js';
import { policies } from '../access/policies.js';
import { BookingsService } from '../bookings/bookings.service.js';
import type { Page, PaginationQuery } from '../common/pagination.query.js';
import { AtomicWrite } from '../database/atomic-write.js';
import { Transactions } from '../database/transactions.js';
import { addNotice } from '../notifications/notice.js';
import { ComplaintMessage } from './complaint-message.entity.js';
import { complaintNotices, type ComplaintEvent } from './complaint.notices.js';
import { Complaint, type ComplaintStatus } from './complaint.entity.js';
import { ComplaintsRepository } from './complaints.repository.js';
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
import { Conflict, InvalidInput, NotAllowed, NotFound } from '../common/domain-errors.js';

const NEXT: Record<ComplaintStatus, readonly ComplaintStatus[]> = {
  open: ['in_review'],
  in_review: ['resolved', 'rejected'],
  resolved: [],
  rejected: [],
};

/** A complaint that is settled takes no more messages nor changes. */
const CLOSED: readonly ComplaintStatus[] = ['resolved', 'rejected'];

/**
 * Complaints about bookings: filed by a party (the booking's renter with an account, or its agency),
 * triaged by the admin team, discussed in a thread where the admins may also leave internal notes.
 * Every change and message is told to the other participants, in the transaction that makes it.
 * Parties do not see the triage (priority, assignee). Token mode only: open mode has no parties to
 * tell apart (policies.complaints).
 */
@Injectable()
export class ComplaintsService {
  constructor(
    private readonly complaints: ComplaintsRepository,
    private readonly transactions: Transactions,
    private readonly bookings: BookingsService,
  ) {}

  /** A complaint about a booking (by one of its parties), or without one a support request (by a renter or an agency). */
  async create(dto: CreateComplaintDto, actor: Actor): Promise<ComplaintResponse> {
    if (dto.bookingId === undefined) return this.requestSupport(dto, actor);
    const bookingId = dto.bookingId;
    const user = policies.complaintParty(actor);
    return this.transactions.run(async (manager) => {
      // 404 unless the booking is the renter's own or of the agency's cars.
      const booking = await this.bookings.load(manager, bookingId, user);
      const { id } = await manager.save(
        manager.create(Complaint, {
          bookingId: booking.id,
          agencyId: booking.car.agencyId,
          renterSub: booking.renterAccount ? booking.renterId : null,
          filedBySub: user.sub,
          filedByRole: user.role,
          category: dto.category,
          subject: dto.subject ?? '',
          description: dto.description,
        }),
      );
      const complaint = await this.load(manager, id, actor);
      await tell(new AtomicWrite(), complaint, user.role, {
        text: {
          kind: 'complaint.created',
          params: { category: dto.category, car: `${booking.car.make} ${booking.car.model}` },
        },
      }).run(manager);
      return toComplaintResponse(complaint, viewOf(actor));
    });
  }

  private async requestSupport(dto: CreateComplaintDto, actor: Actor): Promise<ComplaintResponse> {
    const { user, renterSub, agencyId } = policies.supportRequester(actor);
    if (!dto.subject) throw new InvalidInput('subject is required: what a support request (no bookingId) is about');
    const subject = dto.subject;
    return this.transactions.run(async (manager) => {
      const { id } = await manager.save(
        manager.create(Complaint, {
          bookingId: null,
          agencyId,
          renterSub,
          filedBySub: user.sub,
          filedByRole: user.role,
          category: dto.category,
          subject,
          description: dto.description,
        }),
      );
      const complaint = await this.load(manager, id, actor);
      await tell(new AtomicWrite(), complaint, user.role, {
        text: { kind: 'support.created', params: { category: dto.category, subject } },
      }).run(manager);
      return toComplaintResponse(complaint, viewOf(actor));
    });
  }

  async list(query: ListComplaintsQuery, actor: Actor): Promise<Page<ComplaintResponse>> {
    const { items, total } = await this.complaints.list(this.transactions.manager, policies.complaints(actor), query);
    return { items: items.map((complaint) => toComplaintResponse(complaint, viewOf(actor))), total };
  }

  async findOne(id: string, actor: Actor): Promise<ComplaintResponse> {
    return toComplaintResponse(await this.load(this.transactions.manager, id, actor), viewOf(actor));
  }

  /** The admin team triages: status along open → in_review → resolved | rejected, priority, assignee. */
  async triage(id: string, dto: TriageComplaintDto, actor: Actor): Promise<ComplaintResponse> {
    return this.transactions.run(async (manager) => {
      const complaint = await this.load(manager, id, actor, true);
      if (dto.assignee && !(await this.complaints.isAdmin(manager, dto.assignee))) {
        throw new InvalidInput('assignee must be the sub of an account of the admin team');
      }
      const before = { status: complaint.status, priority: complaint.priority, assignee: complaint.assignee };
      const statusChanges = dto.status !== undefined && dto.status !== complaint.status;
      if (statusChanges && !NEXT[complaint.status].includes(dto.status!)) {
        throw new Conflict(`Cannot move a complaint from ${complaint.status} to ${dto.status}`);
      }
      if (statusChanges) complaint.status = dto.status!;
      if (dto.priority !== undefined) complaint.priority = dto.priority;
      if (dto.assignee !== undefined) complaint.assignee = dto.assignee;
      const after = { status: complaint.status, priority: complaint.priority, assignee: complaint.assignee };
      if (JSON.stringify(before) === JSON.stringify(after)) return toComplaintResponse(complaint, 'admin');
      const saved = await manager.save(complaint);
      const write = new AtomicWrite();
      if (statusChanges) {
        tell(write, saved, 'admin', {
          text: {
            kind: 'complaint.updated',
            params: { aboutBooking: complaint.bookingId !== null, status: complaint.status },
          },
        });
      }
      await write.run(manager);
      return toComplaintResponse(saved, 'admin');
    });
  }

  /** The thread, oldest first: parties see what is not internal, the admin team everything. */
  async messages(id: string, page: PaginationQuery, actor: Actor): Promise<Page<ComplaintMessageResponse>> {
    const manager = this.transactions.manager;
    await this.load(manager, id, actor);
    const { items, total } = await this.complaints.messages(manager, id, page, policies.isAdminTeam(actor));
    return { items: items.map(toComplaintMessageResponse), total };
  }

  /** A message in the thread (the admin team: or an internal note); a settled complaint takes none (409). */
  async post(id: string, dto: ComplaintMessageDto, actor: Actor): Promise<ComplaintMessageResponse> {
    const internal = dto.internal ?? false;
    if (internal && !policies.isAdminTeam(actor)) throw new NotAllowed('Only the admin team writes internal notes');
    return this.transactions.run(async (manager) => {
      const complaint = await this.load(manager, id, actor, true);
      if (CLOSED.includes(complaint.status)) {
        throw new Conflict(`This complaint is ${complaint.status}: its thread is closed`);
      }
      const user = policies.complaintParty(actor);
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
      const event: ComplaintEvent = {
        text: { kind: 'complaint.message', params: { content: dto.content, internal } },
        data: { message: response },
      };
      await tell(new AtomicWrite(), complaint, user.role, event, internal).run(manager);
      return response;
    });
  }

  /** The complaint `id` if `actor` takes part in it; 404 otherwise. */
  private async load(manager: EntityManager, id: string, actor: Actor, lock = false): Promise<Complaint> {
    const complaint = await this.complaints.find(manager, policies.complaints(actor), id, lock);
    if (!complaint) throw new NotFound('Complaint not found');
    return complaint;
  }
}

function viewOf(actor: Actor): 'admin' | 'party' {
  return policies.isAdminTeam(actor) ? 'admin' : 'party';
}

/** Adds the notifications of `event` (see complaintNotices) to `write`, the change that raises it: the parties' view. */
function tell(
  write: AtomicWrite,
  complaint: Complaint,
  by: Role,
  event: ComplaintEvent,
  internal = false,
): AtomicWrite {
  const seen = toComplaintResponse(complaint, 'party');
  for (const notice of complaintNotices(seen, by, event, internal)) addNotice(write, notice);
  return write;
}
