import type { Role } from '../access/actor.js';
import type { Notice } from '../notifications/notice.js';
import type { NoticeText } from '../notifications/notice-texts.js';
import type { ComplaintResponse } from './complaint.response.js';

/** What happened to a complaint, as its participants read it. */
export interface ComplaintEvent {
  text: NoticeText;
  data?: Record<string, unknown>;
}

/**
 * Who is told of `event`, done by someone of role `by`: every participant but the one who did it —
 * the agency (whose notifications the admin team sees too) when there is one, the renter when they
 * have an account, and the admin team on its own when it would not see the agency's. An internal
 * note is the admin team's alone.
 */
export function complaintNotices(
  complaint: ComplaintResponse,
  by: Role,
  event: ComplaintEvent,
  internal = false,
): Notice[] {
  const base = {
    type: 'SYSTEM' as const,
    category: 'complaint' as const,
    link: `/complaints/${complaint.id}`,
    text: event.text,
  };
  const data = { complaint, ...event.data };
  const notices: Notice[] = [];
  const toAgency = !internal && by !== 'agency' && complaint.agencyId !== null;
  if (toAgency) notices.push({ ...base, agencyId: complaint.agencyId, data });
  if (!internal && complaint.renterSub && by !== 'renter') {
    notices.push({ ...base, agencyId: complaint.agencyId, recipientSub: complaint.renterSub, data });
  }
  if (!toAgency && by !== 'admin') notices.push({ ...base, agencyId: null, data });
  return notices;
}
