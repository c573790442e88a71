import type { NextFunction, Request, Response } from 'express';
import { routeOf } from '../common/route-of.js';
import type { Metrics } from './metrics.service.js';

/** Times every request by route template (`/cars/:id`, not each id), method and status. */
export function httpMetrics(metrics: Metrics) {
  return (request: Request, response: Response, next: NextFunction): void => {
    const stop = metrics.httpDuration.startTimer();
    response.once('close', () => {
      // Unmatched requests share one label: their raw paths would make one series per probe.
      const route = request.route ? routeOf(request) : 'unmatched';
      stop({ method: request.method, route, status: String(response.statusCode) });
    });
    next();
  };
}
