import type { NextFunction, Request, Response } from 'express';
import { STATUS_CODES, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import type { Environment } from '../config/environment.js';

/**
 * Timeouts against slow clients, and error answers in the contract's body even
 * for what Node's HTTP parser refuses before Express sees a request.
 * - headers and whole-request timeouts: a client that trickles its request in
 *   (slowloris) gets 408 instead of holding a socket forever;
 * - keep-alive longer than a load balancer's idle timeout (60 s on most), so the
 *   balancer, not us, closes an idle connection and never reuses a dead one.
 */
export function configureHttpServer(
  server: Server,
  env: Pick<Environment, 'HTTP_KEEPALIVE_TIMEOUT_MS' | 'HTTP_HEADERS_TIMEOUT_MS' | 'HTTP_REQUEST_TIMEOUT_MS'>,
): void {
  server.keepAliveTimeout = env.HTTP_KEEPALIVE_TIMEOUT_MS;
  server.headersTimeout = env.HTTP_HEADERS_TIMEOUT_MS;
  server.requestTimeout = env.HTTP_REQUEST_TIMEOUT_MS;
  // The response each connection is writing, if any: an error answer must not be written into it.
  const writing = new WeakMap<Socket, ServerResponse>();
  server.on('request', (request: IncomingMessage, response: ServerResponse) => writing.set(request.socket, response));
  server.on('clientError', (error: NodeJS.ErrnoException, socket: Socket) => {
    const status =
      error.code === 'HPE_HEADER_OVERFLOW'
        ? 431
        : error.code === 'ERR_HTTP_REQUEST_TIMEOUT'
          ? 408
          : error.code?.startsWith('HPE_')
            ? 400
            : 0;
    const response = writing.get(socket);
    if (status === 0 || !socket.writable || (response && !response.writableEnded)) {
      socket.destroy();
      return;
    }
    const message =
      status === 431
        ? 'Request headers are too large'
        : status === 408
          ? 'Request timed out'
          : 'Malformed HTTP request';
    const body = JSON.stringify({ statusCode: status, message, error: STATUS_CODES[status] });
    // Refused before any header was read, so no Origin is known: any page may read this answer (it
    // says nothing but its status), as every other error answer is readable by the pages CORS allows.
    socket.end(
      `HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\nContent-Type: application/json; charset=utf-8\r\n` +
        `Access-Control-Allow-Origin: *\r\n` +
        `Content-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
    );
  });
}

const BODY_METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/**
 * 415 for a request that carries a body that is not JSON, except `multipart/form-data` on the
 * upload routes (`isUpload(path)`). A request without a body needs no Content-Type.
 */
export function requireJsonBodies(isUpload: (path: string) => boolean) {
  return (request: Request, response: Response, next: NextFunction): void => {
    const hasBody =
      request.headers['transfer-encoding'] !== undefined || Number(request.headers['content-length'] ?? 0) > 0;
    if (!BODY_METHODS.has(request.method) || !hasBody || request.is('application/json')) {
      next();
      return;
    }
    if (request.method === 'POST' && isUpload(request.path) && request.is('multipart/form-data')) {
      next();
      return;
    }
    response.status(415).json({
      statusCode: 415,
      message: isUpload(request.path)
        ? 'Uploads are multipart/form-data with one file in the field "file"'
        : 'Request bodies must be JSON (Content-Type: application/json)',
      error: STATUS_CODES[415],
    });
  };
}
