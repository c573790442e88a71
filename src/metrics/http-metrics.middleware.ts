import type { NextFunction, Request, Response } from 'express';
import type { Metrics } from './metrics.service.js';

/** Times every request by route template (`/cars/:id`, not each id), method and status. */
export function httpMetrics(metrics: Metrics) {
  return (request: Request, response: Response, next: NextFunction): void => {
    const stop = metrics.httpDuration.startTimer();
    response.once('close', () => {
      const route = (request.route as { path?: string } | undefined)?.path ?? 'unmatched';
      stop({ method: request.method, route, status: String(response.statusCode) });
    });
    next();
  };
}
