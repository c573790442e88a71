import { actorStamp, type Actor } from '../auth/actor.js';
import type { AtomicWrite } from '../database/atomic-write.js';
import { AuditEntry } from './audit-entry.entity.js';
import { currentRequestId } from './request-context.js';

/** One fact for the audit trail: what was done to which entity, from which state to which. */
export interface AuditFact {
  action: 'agency.status' | 'user.status' | 'complaint.triage' | 'review.remove' | 'booking.status';
  entityType: 'agency' | 'user' | 'complaint' | 'review' | 'booking';
  entityId: string;
  before?: Record<string, unknown> | null;
  after?: Record<string, unknown> | null;
  reason?: string | null;
}

/**
 * Adds the audit entry of `fact`, done by `actor`, to `write`, the change it records: the entry is
 * stored with that change or not at all, so a refused or failed action leaves none.
 */
export function audit(write: AtomicWrite, actor: Actor, fact: AuditFact): AtomicWrite {
  const { sub, role } = actorStamp(actor);
  return write.insert(AuditEntry, {
    actorSub: sub,
    actorRole: role,
    action: fact.action,
    entityType: fact.entityType,
    entityId: fact.entityId,
    before: fact.before ?? null,
    after: fact.after ?? null,
    reason: fact.reason ?? null,
    requestId: currentRequestId(),
  });
}
