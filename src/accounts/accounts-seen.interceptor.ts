import { Injectable, type CallHandler, type ExecutionContext, type NestInterceptor } from '@nestjs/common';
import type { Request } from 'express';
import { from, mergeMap, type Observable } from 'rxjs';
import { isUser, type Actor } from '../access/actor.js';
import { AccountsService } from './accounts.service.js';

/** Every identity the AuthGuard lets in is recorded (AccountsService.seen) before its request runs. */
@Injectable()
export class AccountsSeenInterceptor implements NestInterceptor {
  constructor(private readonly accounts: AccountsService) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    if (context.getType() !== 'http') return next.handle();
    const actor = context.switchToHttp().getRequest<Request & { actor?: Actor }>().actor;
    if (!actor || !isUser(actor)) return next.handle();
    return from(this.accounts.seen(actor)).pipe(mergeMap(() => next.handle()));
  }
}
