import { Injectable, type NestMiddleware } from '@nestjs/common';
import type { NextFunction, Request, Response } from 'express';
import { FilesService } from './files.service.js';
import { sendFile } from './send-file.js';

/**
 * GET /files/:id of a car photo this process already holds in memory: answered here, before the
 * route's guards, pipes and interceptors (a public, immutable answer needs none of them; the
 * request is still logged, measured and given its CORS and security headers). Anything else —
 * a document, a copy not in memory, another query parameter — goes on to the route.
 */
@Injectable()
export class FilesFastPath implements NestMiddleware {
  constructor(private readonly files: FilesService) {}

  use(request: Request, response: Response, next: NextFunction): void {
    const id = /\/files\/([0-9a-f-]{36})$/.exec(request.path)?.[1];
    const keys = Object.keys(request.query);
    const w = request.query.w;
    if (!id || keys.some((key) => key !== 'w') || (w !== undefined && w !== '320' && w !== '1280')) {
      next();
      return;
    }
    const file = this.files.cached(id, w === undefined ? undefined : Number(w));
    if (!file) {
      next();
      return;
    }
    sendFile(response, file);
  }
}
