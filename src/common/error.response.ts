import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import type { OpenAPIObject } from '@nestjs/swagger';

/** The body of every error (AllExceptionsFilter). */
export class ErrorResponse {
  @ApiProperty({ example: 404 }) statusCode: number;
  @ApiProperty({ example: 'Car not found', description: 'Always one human-readable string' }) message: string;
  @ApiPropertyOptional({ example: 'Not Found' }) error?: string;
  @ApiPropertyOptional({ type: [String], description: 'Each validation problem, for 400s' }) errors?: string[];
}

/** Gives every documented 4xx and 5xx response of `document` the ErrorResponse body. */
export function documentErrorBodies(document: OpenAPIObject): void {
  const schema = { $ref: '#/components/schemas/ErrorResponse' };
  for (const path of Object.values(document.paths)) {
    for (const operation of Object.values(path) as { responses?: Record<string, { content?: unknown }> }[]) {
      for (const [status, response] of Object.entries(operation.responses ?? {})) {
        if (/^[45]/.test(status) && !response.content) response.content = { 'application/json': { schema } };
      }
    }
  }
}
