import { readFileSync } from 'node:fs';
import { Ajv, type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import type { NextFunction, Request, Response } from 'express';

/**
 * Every JSON response the e2e suite receives is checked against the committed
 * openapi.json: its status must be documented for that operation, and its body
 * must match the documented schema. Problems are collected here and fail the
 * test file (test/support/openapi-check.ts), so a drift between the API and its
 * document cannot go unnoticed.
 */
export const openApiViolations: string[] = [];

interface Operation {
  responses: Record<string, { content?: Record<string, { schema?: object }> }>;
}

const document = JSON.parse(readFileSync('openapi.json', 'utf8')) as {
  paths: Record<string, Record<string, Operation>>;
};
const ajv = new Ajv({ strict: false, allErrors: true });
addFormats.default(ajv);
ajv.addSchema(document, 'openapi.json');
const validators = new Map<string, ValidateFunction>();

function validatorFor(path: string, method: string, status: string, schema: object): ValidateFunction {
  const key = `${method} ${path} ${status}`;
  let validate = validators.get(key);
  if (!validate) {
    // Resolve the document's "#/components/..." references against the document itself.
    const rebased = JSON.parse(JSON.stringify(schema).replaceAll('"#/components/', '"openapi.json#/components/'));
    validate = ajv.compile(rebased as object);
    validators.set(key, validate);
  }
  return validate;
}

/**
 * Test-only middleware: records what each routed JSON response was and checks it on finish.
 * `prefix` is the app's API_PREFIX (the document's paths have none); /docs serves the document itself.
 */
export const checkResponsesAgainstOpenApi =
  (prefix = '') =>
  (request: Request, response: Response, next: NextFunction): void => {
    const send = response.send.bind(response);
    let body: unknown;
    response.send = ((chunk: unknown) => {
      body = chunk;
      return send(chunk);
    }) as typeof response.send;
    response.once('finish', () => {
      const route = (request.route as { path?: string } | undefined)?.path;
      const type = String(response.getHeader('content-type') ?? '');
      if (!route || !type.startsWith('application/json') || response.statusCode === 304) return;
      const path = route.replace(prefix ? `/${prefix}` : '', '').replace(/:(\w+)/g, '{$1}');
      if (path.startsWith('/docs')) return;
      const method = request.method.toLowerCase();
      const operation = document.paths[path]?.[method];
      const where = `${request.method} ${path} ${response.statusCode}`;
      if (!operation) {
        openApiViolations.push(`${where}: operation not in openapi.json`);
        return;
      }
      const documented = operation.responses[String(response.statusCode)];
      if (!documented) {
        openApiViolations.push(`${where}: status not documented`);
        return;
      }
      const schema = documented.content?.['application/json']?.schema;
      if (!schema) return;
      let json: unknown;
      try {
        json = typeof body === 'string' ? JSON.parse(body) : Buffer.isBuffer(body) ? JSON.parse(body.toString()) : body;
      } catch {
        openApiViolations.push(`${where}: body is not JSON`);
        return;
      }
      const validate = validatorFor(path, method, String(response.statusCode), schema);
      if (!validate(json)) {
        openApiViolations.push(`${where}: ${ajv.errorsText(validate.errors)}`);
      }
    });
    next();
  };
