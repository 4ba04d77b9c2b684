import { z } from 'zod';

/** How big a free-form JSON object (`properties`, `context`, `attributes`) may be. */
export interface JsonLimits {
  /** Serialised size: UTF-8 bytes of `JSON.stringify(value)`. */
  maxBytes: number;
  /** Nesting of objects and arrays; the object itself is level 1. */
  maxDepth: number;
  /** Keys of any one object. */
  maxKeys: number;
  /** Items of any one array. */
  maxItems: number;
}

/** The limits of an event's `properties` and `context` and of a profile's `attributes`. */
export const JSON_FIELD_LIMITS: Readonly<JsonLimits> = Object.freeze({ maxBytes: 32 * 1024, maxDepth: 8, maxKeys: 256, maxItems: 1000 });

/** Where inside the value (relative to it) a limit is broken, and which. */
export interface JsonLimitIssue {
  path: (string | number)[];
  message: string;
}

/**
 * The first way `value` breaks `limits`, or null when it keeps them all. One pass that
 * stops at the first problem and never descends below `maxDepth`, so a hostile value costs
 * no more than reading it once: the size is counted as `JSON.stringify` would write it
 * (UTF-8 bytes) without building that string. Strings (keys included) must hold no NUL,
 * which Postgres cannot store and which truncates strings in many C libraries; no key may
 * be `__proto__`, which `Object.assign` and friends would take for the prototype. The size
 * problem is reported at the value itself (`[]`), the others where they are (`['a', 'b']`).
 */
export function jsonLimitIssue(value: unknown, limits: JsonLimits = JSON_FIELD_LIMITS): JsonLimitIssue | null {
  return new JsonWalk(limits).visit(value, 1);
}

/** A JSON object within `limits` (default `JSON_FIELD_LIMITS`); a problem is an issue at its path. */
export function boundedJsonObject(limits: JsonLimits = JSON_FIELD_LIMITS): ZodBoundedJsonObject {
  return new ZodBoundedJsonObject({ limits, openapi: { metadata: openApiMetadataOf(limits) } });
}

/**
 * A JSON object its caller has walked within limits already, as part of a larger value (the
 * Segment routes walk each whole message once): only its type is checked, at no further cost.
 */
export function walkedJsonObject(): ZodBoundedJsonObject {
  return new ZodBoundedJsonObject({ limits: null, openapi: { metadata: openApiMetadataOf(null) } });
}

interface BoundedJsonDef extends z.ZodTypeDef {
  /** Null: walked by the caller already. */
  limits: JsonLimits | null;
  /**
   * How the services' OpenAPI documents show this type: zod-to-openapi (service-runtime's API
   * reference) reads a type it does not know from `_def.openapi.metadata`, as `.openapi()` sets it.
   */
  openapi?: { metadata: Record<string, unknown> };
}

function openApiMetadataOf(limits: JsonLimits | null): Record<string, unknown> {
  const within = limits
    ? `: at most ${limits.maxBytes} bytes as JSON, ${limits.maxDepth} levels deep, ${limits.maxKeys} keys per object and ${limits.maxItems} items per array; no NUL in strings, no \`__proto__\` key`
    : ', within the limits of the value it is part of';
  return { type: 'object', additionalProperties: true, description: `Any JSON object${within}.` };
}

/**
 * The zod type of `boundedJsonObject`: an object, then `jsonLimitIssue`. A type of its own
 * rather than `z.record(z.unknown()).superRefine(…)`, which copies the object and costs a
 * zod effect: this runs on every record the consumers read. The value is passed through
 * as it is, so the walk refuses `__proto__` keys (which `z.record` would have dropped).
 */
export class ZodBoundedJsonObject extends z.ZodType<Record<string, unknown>, BoundedJsonDef, Record<string, unknown>> {
  _parse(input: z.ParseInput): z.ParseReturnType<Record<string, unknown>> {
    const { data } = input;
    if (typeof data !== 'object' || data === null || Array.isArray(data)) {
      const ctx = this._getOrReturnCtx(input);
      z.addIssueToContext(ctx, { code: z.ZodIssueCode.invalid_type, expected: z.ZodParsedType.object, received: ctx.parsedType });
      return z.INVALID;
    }
    const issue = this._def.limits === null ? null : jsonLimitIssue(data, this._def.limits);
    if (issue) {
      z.addIssueToContext(this._getOrReturnCtx(input), { code: z.ZodIssueCode.custom, path: issue.path, message: issue.message });
      return z.INVALID;
    }
    return z.OK(data as Record<string, unknown>);
  }
}

/** One walk: the bytes counted so far and the path to where it is (a stack, copied only for an issue). */
class JsonWalk {
  private bytes = 0;
  private readonly path: (string | number)[] = [];

  constructor(private readonly limits: JsonLimits) {}

  visit(value: unknown, depth: number): JsonLimitIssue | null {
    switch (typeof value) {
      case 'string':
        return this.string(value);
      case 'number':
        return Number.isFinite(value) ? this.count(String(value).length) : this.issue('must be a finite number');
      case 'boolean':
        return this.count(value ? 4 : 5);
      case 'object':
        if (value === null) return this.count(4);
        if (depth > this.limits.maxDepth) return this.issue(`nests deeper than ${this.limits.maxDepth} levels`);
        return Array.isArray(value) ? this.array(value, depth) : this.object(value as Record<string, unknown>, depth);
      default:
        return this.issue('must be a JSON value (string, number, boolean, null, array or object)');
    }
  }

  private object(value: Record<string, unknown>, depth: number): JsonLimitIssue | null {
    const keys = Object.keys(value);
    if (keys.length > this.limits.maxKeys) return this.issue(`has ${keys.length} keys; at most ${this.limits.maxKeys} are allowed`);
    let written = 0;
    for (const key of keys) {
      const item = value[key];
      if (item === undefined) continue; // JSON.stringify leaves it out
      if (key === '__proto__') return this.issueAt(key, 'key __proto__ is not allowed');
      const keyBytes = jsonStringBytes(key);
      if (keyBytes < 0) return this.issueAt(key.replaceAll('\u0000', '\\u0000'), 'key must not contain NUL (U+0000)');
      const tooBig = this.count(keyBytes + 1 + (written++ > 0 ? 1 : 0)); // "key": and the comma before it
      if (tooBig) return tooBig;
      this.path.push(key);
      const issue = this.visit(item, depth + 1);
      this.path.pop();
      if (issue) return issue;
    }
    return this.count(2);
  }

  private array(value: unknown[], depth: number): JsonLimitIssue | null {
    if (value.length > this.limits.maxItems) return this.issue(`has ${value.length} items; at most ${this.limits.maxItems} are allowed`);
    const tooBig = this.count(2 + Math.max(0, value.length - 1));
    if (tooBig) return tooBig;
    for (let index = 0; index < value.length; index++) {
      const item = value[index];
      if (item === undefined) {
        const tooBigItem = this.count(4); // written as null
        if (tooBigItem) return tooBigItem;
        continue;
      }
      this.path.push(index);
      const issue = this.visit(item, depth + 1);
      this.path.pop();
      if (issue) return issue;
    }
    return null;
  }

  private string(value: string): JsonLimitIssue | null {
    // Every character is at least one byte: a string longer than what is left needs no scan.
    if (this.bytes + value.length + 2 > this.limits.maxBytes) return this.tooBig();
    const bytes = jsonStringBytes(value);
    if (bytes < 0) return this.issue('must not contain NUL (U+0000)');
    return this.count(bytes);
  }

  private count(bytes: number): JsonLimitIssue | null {
    this.bytes += bytes;
    return this.bytes > this.limits.maxBytes ? this.tooBig() : null;
  }

  private tooBig(): JsonLimitIssue {
    return { path: [], message: `must be at most ${this.limits.maxBytes} bytes serialised as JSON (UTF-8)` };
  }

  private issue(message: string): JsonLimitIssue {
    return { path: [...this.path], message };
  }

  private issueAt(key: string, message: string): JsonLimitIssue {
    return { path: [...this.path, key], message };
  }
}

/**
 * The UTF-8 bytes `JSON.stringify(text)` writes (quotes and escapes included), or -1 when
 * `text` holds a NUL. Lone surrogates are written as `\udxxx` escapes, as Node does.
 */
function jsonStringBytes(text: string): number {
  let bytes = 2;
  for (let i = 0; i < text.length; i++) {
    const unit = text.charCodeAt(i);
    if (unit === 0) return -1;
    if (unit === 0x22 || unit === 0x5c) bytes += 2;
    else if (unit < 0x20) bytes += SHORT_ESCAPES.has(unit) ? 2 : 6;
    else if (unit < 0x80) bytes += 1;
    else if (unit < 0x800) bytes += 2;
    else if (unit >= 0xd800 && unit <= 0xdfff) {
      const next = text.charCodeAt(i + 1);
      if (unit <= 0xdbff && next >= 0xdc00 && next <= 0xdfff) {
        bytes += 4;
        i++;
      } else bytes += 6;
    } else bytes += 3;
  }
  return bytes;
}

/** \b \t \n \f \r: the control characters JSON writes with a two-character escape. */
const SHORT_ESCAPES: ReadonlySet<number> = new Set([0x08, 0x09, 0x0a, 0x0c, 0x0d]);
