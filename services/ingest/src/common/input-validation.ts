import { formatPath, ValidationError, type ValidationIssue } from '@nudge/contracts';
import type { ZodIssue, ZodType, ZodTypeDef } from 'zod';

export type Checked<T> = { ok: true; value: T } | { ok: false; issues: ValidationIssue[] };

type Path = (string | number)[];

/** What a request body must be; `(body)` is the path that names the body itself. */
const BODY_PATH = '(body)';
const MOST_ISSUES_SHOWN = 100;

/**
 * Parses client input with a schema; problems come back as issues whose paths start
 * with `prefix`. An unknown key is named by its own path (`events[2].colour`), not by
 * the object holding it, so the client sees which field to remove.
 */
export function checkInput<T>(schema: ZodType<T, ZodTypeDef, unknown>, value: unknown, prefix: Path = []): Checked<T> {
  const result = schema.safeParse(value);
  if (result.success) return { ok: true, value: result.data };
  return { ok: false, issues: result.error.issues.flatMap((issue) => issuesOf(issue, prefix)) };
}

/** The request body as a JSON object, or a 400 naming the body (arrays, text, a missing Content-Type). */
export function requireJsonObject(body: unknown): Record<string, unknown> {
  if (typeof body === 'object' && body !== null && !Array.isArray(body)) return body as Record<string, unknown>;
  throw new ValidationError('request body must be a JSON object sent with Content-Type: application/json', [
    { path: BODY_PATH, message: `must be a JSON object, got ${describe(body)}` },
  ]);
}

/** The ValidationError (HTTP 400) listing `issues`; very long lists are cut, the count is kept. */
export function invalid(what: string, issues: ValidationIssue[]): ValidationError {
  const shown = issues.slice(0, MOST_ISSUES_SHOWN);
  const summary = shown
    .slice(0, 3)
    .map((i) => `${i.path} ${i.message}`)
    .join('; ');
  const more = issues.length > 3 ? ` (and ${issues.length - 3} more)` : '';
  return new ValidationError(`invalid ${what}: ${summary}${more}`, shown);
}

/** `checkInput` that throws the 400 instead of returning the issues. */
export function parseInput<T>(schema: ZodType<T, ZodTypeDef, unknown>, value: unknown, what: string, prefix: Path = []): T {
  const checked = checkInput(schema, value, prefix);
  if (checked.ok) return checked.value;
  throw invalid(what, checked.issues);
}

function issuesOf(issue: ZodIssue, prefix: Path): ValidationIssue[] {
  const path = [...prefix, ...issue.path];
  if (issue.code === 'unrecognized_keys') {
    return issue.keys.map((key) => ({ path: formatPath([...path, key]), message: 'is not a known field' }));
  }
  return [{ path: formatPath(path) || BODY_PATH, message: issue.message }];
}

function describe(value: unknown): string {
  if (value === undefined) return 'no body (is Content-Type application/json?)';
  if (value === null) return 'null';
  return Array.isArray(value) ? 'an array' : typeof value;
}
