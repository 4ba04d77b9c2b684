import { AssertionError, toValue } from 'liquidjs';
import { RENDERED_TEXT_LIMIT_MESSAGE } from './template-limits';

/**
 * A liquidjs output buffer (its `Emitter`) that refuses to grow past `maxLength` characters:
 * liquidjs' own buffer grows without bound, and a loop printing a large block of text allocates
 * nothing its memory limit counts. The refusal is an AssertionError, as liquidjs' own limits are.
 */
export class BoundedText {
  buffer = '';

  constructor(private readonly maxLength: number) {}

  write(html: unknown): void {
    const text = stringify(html);
    if (this.buffer.length + text.length > this.maxLength) throw new AssertionError(RENDERED_TEXT_LIMIT_MESSAGE);
    this.buffer += text;
  }
}

/** liquidjs' own rendering of an output value: drops by their value, nil as nothing, lists joined. */
function stringify(value: unknown): string {
  const plain: unknown = toValue(value);
  if (typeof plain === 'string') return plain;
  if (plain === null || plain === undefined) return '';
  if (Array.isArray(plain)) return plain.map(stringify).join('');
  return String(plain);
}
