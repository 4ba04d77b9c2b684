import { createHash } from 'node:crypto';

/**
 * A checksum of a config document in which key order does not count: same content, same
 * version. Rules versions campaigns and settings with it; the CLI's diff compares the same way.
 */
export function checksumOf(document: unknown): string {
  return createHash('sha256').update(canonicalJson(document)).digest('hex');
}

/** JSON with object keys sorted: two documents with the same content give the same text. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}
