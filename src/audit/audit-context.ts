import type { Request } from 'express';
import { actorStamp, isUser, type Actor } from '../access/actor.js';
import type { AuditedRoute } from './audited.decorator.js';

/** What the audit triggers record beside each row a request changes (stated at its transaction's start). */
export interface AuditContext {
  actorSub: string;
  actorRole: string;
  action: string;
  reason: string | null;
  /** Made by the server for this request. */
  requestId: string | null;
  /** The X-Request-Id the client sent, if any: kept beside the server's, never instead of it. */
  clientRequestId: string | null;
}

/** Every write of the admin team is audited; a route of status or money changes, whoever calls it. */
export function auditedFor(route: AuditedRoute, actor: Actor): boolean {
  return route.anyone === true || (isUser(actor) && actor.role === 'admin');
}

export function auditContext(
  action: string,
  actor: Actor,
  request?: Pick<Request, 'body' | 'query'> & { id?: unknown; clientRequestId?: unknown },
): AuditContext {
  const { sub, role } = actorStamp(actor);
  // The reason the client gave, in the body or (DELETE) the query.
  const reason = (request?.body as { reason?: unknown } | undefined)?.reason ?? request?.query.reason;
  return {
    actorSub: sub,
    actorRole: role,
    action,
    reason: typeof reason === 'string' && reason !== '' ? reason : null,
    requestId: typeof request?.id === 'string' ? request.id : null,
    clientRequestId: typeof request?.clientRequestId === 'string' ? request.clientRequestId : null,
  };
}
