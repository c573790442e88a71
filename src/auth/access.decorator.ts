import { createParamDecorator, SetMetadata, type ExecutionContext } from '@nestjs/common';
import type { Request } from 'express';
import type { Actor, Role } from '../access/actor.js';
import type { WritePurpose } from '../access/standing-rule.js';

export interface AccessRule {
  /** Callers without a token are let in (token mode): the public catalogue, health, docs. */
  anonymous?: boolean;
  /** The roles let in; every role when absent. Others get 403. */
  roles?: readonly Role[];
  /** The token may also come as `?access_token=` (EventSource and WebSocket cannot send headers). */
  queryToken?: boolean;
  /** The handler checks its caller itself (GET /metrics takes METRICS_TOKEN as well as tokens). */
  selfChecked?: boolean;
  /** What the route's writes are for, when not the agency's business (see mayWrite): an agency that is not active may still make them. */
  purpose?: WritePurpose;
}

export const ACCESS_KEY = 'access';

/**
 * Who may call a route in token mode (open mode lets every loopback caller in). A route without
 * it needs a valid token of any role.
 */
export const Access = (rule: AccessRule) => SetMetadata(ACCESS_KEY, rule);

/** Open to everyone, with or without a token. */
export const Public = () => Access({ anonymous: true });

/** The caller, as the AuthGuard identified it. */
export const CurrentActor = createParamDecorator(
  (_data: unknown, context: ExecutionContext): Actor =>
    context.switchToHttp().getRequest<Request & { actor: Actor }>().actor,
);
