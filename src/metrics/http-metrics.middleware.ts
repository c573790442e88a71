import type { NextFunction, Request, Response } from 'express';
import { routeOf } from '../common/route-of.js';
import type { Metrics } from './metrics.service.js';

/**
 * Times every request by route template (`/cars/:id`, not each id), method and status, except those
 * to `untimedPath`: an event stream's lifetime is no latency (`sse_open_streams` counts streams).
 */
export function httpMetrics(metrics: Metrics, untimedPath: string) {
  return (request: Request, response: Response, next: NextFunction): void => {
    if (request.path === untimedPath) {
      next();
      return;
    }
    const stop = metrics.httpDuration.startTimer();
    response.once('close', () => {
      // Unmatched requests share one label: their raw paths would make one series per probe.
      const route = request.route ? routeOf(request) : 'unmatched';
      stop({ method: request.method, route, status: String(response.statusCode) });
    });
    next();
  };
}
