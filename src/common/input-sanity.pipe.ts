import { BadRequestException, Injectable, type ArgumentMetadata, type PipeTransform } from '@nestjs/common';

/** No legitimate body of this API nests deeper than a few levels (booking.renter.name). */
export const MAX_INPUT_DEPTH = 32;
/** Half of a UTF-16 surrogate pair without its other half: valid in JSON text, not Unicode text. */
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

/**
 * Runs before validation on every body, query and path parameter. It rejects
 * what PostgreSQL or the validators cannot take and would otherwise turn into a
 * 500: NUL characters (PostgreSQL text refuses them), lone surrogates (`"\ud800"` parses as JSON
 * but is no character: stored through a text parameter it silently became U+FFFD, through a JSON
 * one PostgreSQL refuses it) and absurd nesting (the transformer recurses). The walk is iterative,
 * so depth itself cannot overflow it.
 */
@Injectable()
export class InputSanityPipe implements PipeTransform {
  transform(value: unknown, metadata: ArgumentMetadata): unknown {
    if (metadata.type === 'custom') return value;
    const root = metadata.type === 'param' ? (metadata.data ?? 'id') : '';
    const stack: { value: unknown; path: string; depth: number }[] = [{ value, path: root, depth: 0 }];
    while (stack.length > 0) {
      const item = stack.pop()!;
      if (typeof item.value === 'string') {
        if (item.value.includes('\u0000')) {
          throw new BadRequestException(`${item.path || 'value'} must not contain NUL characters (\\u0000)`);
        }
        if (LONE_SURROGATE.test(item.value)) {
          throw new BadRequestException(`${item.path || 'value'} must be well-formed Unicode (a lone surrogate)`);
        }
        continue;
      }
      if (typeof item.value !== 'object' || item.value === null) continue;
      if (item.depth >= MAX_INPUT_DEPTH) {
        throw new BadRequestException(`${metadata.type} is nested more than ${MAX_INPUT_DEPTH} levels deep`);
      }
      for (const [key, child] of Object.entries(item.value)) {
        if (key.includes('\u0000')) throw new BadRequestException('A field name contains a NUL character');
        const path = Array.isArray(item.value) ? `${item.path}[${key}]` : item.path ? `${item.path}.${key}` : key;
        stack.push({ value: child, path, depth: item.depth + 1 });
      }
    }
    return value;
  }
}
