import { BadRequestException, Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { ROUTE_ARGS_METADATA } from '@nestjs/common/constants.js';
import { RouteParamtypes } from '@nestjs/common/enums/route-paramtypes.enum.js';
import { DECORATORS } from '@nestjs/swagger';
import { getMetadataStorage } from 'class-validator';
import type { Request } from 'express';

type Handler = (...args: unknown[]) => unknown;

/**
 * An unknown query parameter is a 400 naming it, on every route: `?search=` or `?minPrice=` must
 * not quietly return the whole catalogue. A route's parameters are the ones it reads and documents:
 * the properties of its `@Query()` DTO (what validation keeps), its `@Query('name')` arguments and
 * its `@ApiQuery` entries (the stream's `access_token` and `lastEventId`).
 */
@Injectable()
export class KnownQueryGuard implements CanActivate {
  private readonly known = new WeakMap<Handler, ReadonlySet<string>>();

  canActivate(context: ExecutionContext): boolean {
    if (context.getType() !== 'http') return true;
    const query = context.switchToHttp().getRequest<Request>().query;
    const names = Object.keys(query);
    if (names.length === 0) return true;
    const known = this.parametersOf(context.getClass(), context.getHandler() as Handler);
    const unknown = names.filter((name) => !known.has(name));
    if (unknown.length === 0) return true;
    const accepted = [...known].sort().join(', ');
    throw new BadRequestException(
      `Unknown query parameter${unknown.length > 1 ? 's' : ''}: ${unknown.join(', ')}` +
        (accepted ? ` (this route takes ${accepted})` : ' (this route takes none)'),
    );
  }

  private parametersOf(controller: object, handler: Handler): ReadonlySet<string> {
    let known = this.known.get(handler);
    if (known) return known;
    const names = new Set<string>();
    const args = (Reflect.getMetadata(ROUTE_ARGS_METADATA, controller, handler.name) ?? {}) as Record<
      string,
      { index: number; data?: unknown }
    >;
    const types = (Reflect.getMetadata(
      'design:paramtypes',
      (controller as { prototype: object }).prototype,
      handler.name,
    ) ?? []) as (new () => unknown)[];
    for (const [key, arg] of Object.entries(args)) {
      if (key.split(':')[0] !== String(RouteParamtypes.QUERY)) continue;
      if (typeof arg.data === 'string') names.add(arg.data);
      else if (types[arg.index]) {
        for (const rule of getMetadataStorage().getTargetValidationMetadatas(types[arg.index], '', true, false)) {
          names.add(rule.propertyName);
        }
      }
    }
    const documented = (Reflect.getMetadata(DECORATORS.API_PARAMETERS, handler) ?? []) as {
      in?: string;
      name?: string;
    }[];
    for (const parameter of documented) if (parameter.in === 'query' && parameter.name) names.add(parameter.name);
    known = names;
    this.known.set(handler, known);
    return known;
  }
}
