import type { Request } from 'express';

/** The route template a request matched (`/cars/:id`), or its path when none matched. */
export function routeOf(request: Request): string {
  return (request.route as { path?: string } | undefined)?.path ?? request.path;
}
