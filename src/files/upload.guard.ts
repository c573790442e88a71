import {
  BadRequestException,
  Injectable,
  PayloadTooLargeException,
  type CanActivate,
  type ExecutionContext,
} from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import type { Request, RequestHandler, Response } from 'express';
import multer from 'multer';
import type { Environment } from '../config/environment.js';

/** The routes that take a multipart upload (under any API_PREFIX). */
const UPLOAD_PATHS = [/\/cars\/[^/]+\/images$/, /\/agencies\/[^/]+\/documents$/, /\/users\/me\/documents$/];
export const isUploadPath = (path: string) => UPLOAD_PATHS.some((pattern) => pattern.test(path));

/** Room for the multipart framing and one short field around the file. */
const FRAMING_BYTES = 16 * 1024;

/** The uploaded file, as multer leaves it in memory (never on disk: its name touches no filesystem). */
export interface Upload {
  buffer: Buffer;
  size: number;
  fieldname: string;
}

/**
 * Reads a multipart body with exactly one file in the field `file` and at most one text field, after
 * the caller is known (guards run after the AuthGuard) and before any interceptor opens a database
 * transaction (a slow upload holds no connection). Above UPLOAD_MAX_BYTES: 413, from the
 * Content-Length before a byte is read, else as soon as the file passes the limit; a second file,
 * another field name or more fields: 400.
 */
@Injectable()
export class UploadGuard implements CanActivate {
  private readonly maxBytes: number;
  private readonly parse: RequestHandler;

  constructor(config: ConfigService<Environment, true>) {
    this.maxBytes = config.get('UPLOAD_MAX_BYTES', { infer: true });
    this.parse = multer({
      storage: multer.memoryStorage(),
      limits: { fileSize: this.maxBytes, files: 1, fields: 1, parts: 2, fieldSize: 1024, fieldNameSize: 100 },
    }).single('file');
  }

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const request = context.switchToHttp().getRequest<Request & { file?: Upload }>();
    const response = context.switchToHttp().getResponse<Response>();
    if (Number(request.headers['content-length'] ?? 0) > this.maxBytes + FRAMING_BYTES) {
      throw new PayloadTooLargeException(`A file may be at most ${this.maxBytes} bytes (UPLOAD_MAX_BYTES)`);
    }
    await new Promise<void>((resolve, reject) =>
      this.parse(request, response, (error: unknown) =>
        error ? reject(uploadError(error, this.maxBytes)) : resolve(),
      ),
    );
    if (!request.file) throw new BadRequestException('file is required: multipart/form-data with the field "file"');
    return true;
  }
}

function uploadError(error: unknown, maxBytes: number): Error {
  if (error instanceof multer.MulterError) {
    if (error.code === 'LIMIT_FILE_SIZE') {
      return new PayloadTooLargeException(`A file may be at most ${maxBytes} bytes (UPLOAD_MAX_BYTES)`);
    }
    const field = error.field ? ` (${error.field})` : '';
    return new BadRequestException(`One file in the field "file", and no other parts: ${error.message}${field}`);
  }
  return new BadRequestException(
    `A malformed multipart body: ${error instanceof Error ? error.message : String(error)}`,
  );
}
