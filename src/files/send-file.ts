import type { Response } from 'express';
import type { ServedFile } from './files.service.js';

/** Sends a file with its type, strong ETag and caching rule; Express answers 304 when If-None-Match matches. */
export function sendFile(response: Response, file: ServedFile): void {
  response.setHeader('Content-Type', file.contentType);
  response.setHeader('ETag', file.etag);
  response.setHeader('Cache-Control', file.public ? 'public, max-age=31536000, immutable' : 'private, no-store');
  response.send(file.bytes);
}
