import type { Notice } from '../notifications/notice.js';
import type { Agency } from './agency.entity.js';

/** What an agency is told when the admin changes its status. */
export function agencyStatusNotice(agency: Agency): Notice {
  return {
    agencyId: agency.id,
    type: 'SYSTEM',
    category: 'agency',
    link: `/agencies/${agency.id}`,
    text: { kind: 'agency.status', params: { status: agency.status, reason: agency.statusReason } },
    data: { agencyId: agency.id, status: agency.status, reason: agency.statusReason },
  };
}
