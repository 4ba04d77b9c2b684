import { type ArgumentMetadata, Injectable, type PipeTransform } from '@nestjs/common';
import { ValidationError } from '@nudge/contracts';

/** Control characters (NUL among them): never part of an id, a filter or a cursor, and NUL breaks every Postgres text. */
const CONTROL_CHARACTER = /[\u0000-\u001f\u007f]/;

/**
 * Refuses a path parameter or query value holding a control character with a 400 naming it
 * (`userId`, `campaignId`, as the routes' own checks name them), before any handler passes
 * it to Postgres, which answers NUL with an error (a 500 otherwise). Bodies are left to
 * their own schemas.
 */
@Injectable()
export class PrintableParamsPipe implements PipeTransform {
  transform(value: unknown, metadata: ArgumentMetadata): unknown {
    if (metadata.type !== 'param' && metadata.type !== 'query') return value;
    const entries: [string, unknown][] = metadata.data !== undefined ? [[metadata.data, value]] : Object.entries(asRecord(value));
    for (const [name, item] of entries) {
      const strings = Array.isArray(item) ? item : [item];
      if (strings.some((s) => typeof s === 'string' && CONTROL_CHARACTER.test(s))) {
        const path = name;
        const message = 'must not contain control characters';
        throw new ValidationError(`${path} ${message}`, [{ path, message }]);
      }
    }
    return value;
  }
}

function asRecord(value: unknown): Record<string, unknown> {
  return typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : {};
}
