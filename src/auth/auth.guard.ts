import {
  ForbiddenException,
  Injectable,
  ServiceUnavailableException,
  UnauthorizedException,
  type CanActivate,
  type ExecutionContext,
} from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Request, Response } from 'express';
import { ACCESS_KEY, type AccessRule } from './access.decorator.js';
import { ANONYMOUS, OPEN, type Actor } from '../access/actor.js';
import { bearerToken } from './bearer-token.js';
import { RETRY_AFTER_SECONDS } from '../database/availability.js';
import { Standing } from '../access/standing.js';
import { mayWrite, writeRefusal } from '../access/standing-rule.js';
import { InvalidTokenError, KeysUnavailableError, TokenVerifier } from './token-verifier.service.js';

/** Methods that change nothing: an agency that is not active may still use them. */
const READS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * Identifies the caller of every HTTP route and applies its @Access rule (token mode). 401 answers
 * carry `WWW-Authenticate: Bearer` with the RFC 6750 error; a token of a role the route does not
 * let in is a 403.
 */
@Injectable()
export class AuthGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly verifier: TokenVerifier,
    private readonly standing: Standing,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    if (context.getType() !== 'http') return true; // the chat socket is checked at its upgrade
    const request = context.switchToHttp().getRequest<Request & { actor?: Actor }>();
    const response = context.switchToHttp().getResponse<Response>();
    if (this.verifier.mode === 'open') {
      request.actor = OPEN;
      return true;
    }
    const rule =
      this.reflector.getAllAndOverride<AccessRule | undefined>(ACCESS_KEY, [
        context.getHandler(),
        context.getClass(),
      ]) ?? {};
    if (rule.selfChecked) return true;
    const token = bearerToken(request, rule.queryToken ?? false);
    if (token === undefined) {
      if (rule.anonymous) {
        request.actor = ANONYMOUS;
        return true;
      }
      response.setHeader('WWW-Authenticate', 'Bearer realm="car-rental"');
      throw new UnauthorizedException(
        rule.queryToken
          ? 'A bearer token is required: Authorization: Bearer, or ?access_token= (EventSource cannot send headers)'
          : 'A bearer token is required',
      );
    }
    try {
      request.actor = await this.verifier.verify(token);
    } catch (error) {
      if (error instanceof KeysUnavailableError) {
        response.setHeader('Retry-After', String(RETRY_AFTER_SECONDS));
        throw new ServiceUnavailableException("The identity provider's keys cannot be fetched; retry shortly");
      }
      if (!(error instanceof InvalidTokenError)) throw error;
      const description = error.description.replace(/"/g, "'");
      response.setHeader(
        'WWW-Authenticate',
        `Bearer realm="car-rental", error="invalid_token", error_description="${description}"`,
      );
      throw new UnauthorizedException(error.description);
    }
    const user = request.actor;
    if (await this.standing.isSuspended(user)) throw new ForbiddenException('This account is suspended');
    if (rule.roles && !rule.roles.includes(user.role)) {
      throw new ForbiddenException(`This needs the ${rule.roles.join(' or ')} role`);
    }
    if (user.agencyId && !READS.has(request.method)) {
      const agency = await this.standing.agency(user.agencyId);
      if (agency && !mayWrite(agency, rule.purpose ?? 'business')) throw new ForbiddenException(writeRefusal(agency));
    }
    return true;
  }
}
