import type { Notice } from '../notifications/notice.js';
import type { Agency } from './agency.entity.js';

const SAYS: Record<Agency['status'], string> = {
  active: 'is active: its cars are in the catalogue and take bookings',
  pending: 'is pending review: its cars are not in the catalogue yet',
  suspended: 'is suspended: its cars are out of the catalogue and take no bookings',
  rejected: 'application was not accepted',
};

/** What an agency is told when the admin changes its status. */
export function agencyStatusNotice(agency: Agency): Notice {
  return {
    agencyId: agency.id,
    type: 'SYSTEM',
    category: 'agency',
    link: `/agencies/${agency.id}`,
    title: 'Agency Status Changed',
    message: `Your agency ${SAYS[agency.status]}${agency.statusReason ? ` (${agency.statusReason})` : ''}`,
    data: { agencyId: agency.id, status: agency.status, reason: agency.statusReason },
  };
}
