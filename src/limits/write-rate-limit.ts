import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { rateLimit } from 'express-rate-limit';

const READS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * RATE_LIMIT_WRITES writes (POST, PUT, PATCH, DELETE) per client per minute,
 * counted by express-rate-limit in this process; past it, 429 with Retry-After
 * and the usual error body. A client is its address (Express's `req.ip`).
 */
export function writeRateLimit(limit: number): RequestHandler {
  return rateLimit({
    windowMs: 60_000,
    limit,
    standardHeaders: 'draft-7',
    legacyHeaders: false,
    skip: (request) => READS.has(request.method),
    validate: { xForwardedForHeader: false },
    handler: (_request: Request, response: Response, _next: NextFunction) => {
      response.status(429).json({
        statusCode: 429,
        message: `Too many writes: at most ${limit} a minute per client; retry after the Retry-After seconds`,
        error: 'Too Many Requests',
      });
    },
  });
}
