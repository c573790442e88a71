import { SetMetadata } from '@nestjs/common';

export interface AuditedRoute {
  /** What the route does, as the trail names it: `car.update`, `agency.status`, … */
  action: string;
  /** Audited whoever calls it (a change of status or money); otherwise only for the admin team. */
  anyone?: boolean;
}

export const AUDITED_KEY = 'audited';

/**
 * The route changes state and is in the audit trail: every row it changes in an audited table is
 * recorded, in its transaction, with who, what, before and after (see AuditInterceptor).
 */
export const Audited = (action: string, options: { anyone?: boolean } = {}) =>
  SetMetadata(AUDITED_KEY, { action, ...options } satisfies AuditedRoute);
