import { Injectable, type CallHandler, type ExecutionContext, type NestInterceptor } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Request } from 'express';
import { defer, from, lastValueFrom, type Observable } from 'rxjs';
import type { Actor } from '../access/actor.js';
import { Transactions } from '../database/transactions.js';
import { AUDITED_KEY, type AuditedRoute } from './audited.decorator.js';
import { auditContext, auditedFor, type AuditContext } from './audit-context.js';
import { AuditRepository } from './audit.repository.js';

/**
 * The one audit path. On a route marked @Audited, when the caller is one it applies to, the handler
 * runs in the request transaction (Transactions.request) whose first statement states the audit
 * context (actor, action, reason, request ids); the database's audit triggers then record every
 * row the route inserts, updates or deletes in an audited table, before and after, in that same
 * transaction. A service cannot forget it, and a refused or failed change leaves no entry.
 */
@Injectable()
export class AuditInterceptor implements NestInterceptor {
  constructor(
    private readonly reflector: Reflector,
    private readonly transactions: Transactions,
    private readonly trail: AuditRepository,
  ) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    if (context.getType() !== 'http') return next.handle();
    const route = this.reflector.get<AuditedRoute | undefined>(AUDITED_KEY, context.getHandler());
    const request = context.switchToHttp().getRequest<Request & { actor?: Actor }>();
    if (!route || !request.actor || !auditedFor(route, request.actor)) return next.handle();
    const audit: AuditContext = auditContext(route.action, request.actor, request);
    return defer(() =>
      from(
        this.transactions.request(() => lastValueFrom(next.handle(), { defaultValue: undefined }), {
          open: (manager) => this.trail.state(manager, audit),
        }),
      ),
    );
  }
}
