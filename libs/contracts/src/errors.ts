/** One problem with client input: where it is and what is wrong. */
export interface ValidationIssue {
  path: string;
  message: string;
}

/** Client input that breaks the contract: mapped to HTTP 400 naming each field. */
export class ValidationError extends Error {
  constructor(
    message: string,
    readonly details: ValidationIssue[],
  ) {
    super(message);
    this.name = 'ValidationError';
  }
}

export class NotFoundError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'NotFoundError';
  }
}

export class ConflictError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ConflictError';
  }
}

/**
 * A dependency (Kafka, Postgres) cannot serve the request right now: mapped to HTTP 503.
 * Nothing of the request was committed; the client retries it as it was.
 */
export class ServiceUnavailableError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'ServiceUnavailableError';
  }
}

/** Turns zod issues into our paths: `events[3].userId`. */
export function issuesFromZod(
  issues: readonly { path: readonly (string | number)[]; message: string }[],
  prefix: readonly (string | number)[] = [],
): ValidationIssue[] {
  return issues.map((issue) => ({ path: formatPath([...prefix, ...issue.path]), message: issue.message }));
}

export function formatPath(path: readonly (string | number)[]): string {
  return path.reduce<string>((out, part) => {
    if (typeof part === 'number') return `${out}[${part}]`;
    return out ? `${out}.${part}` : part;
  }, '');
}

/** Parses `value` with a zod schema, or throws a ValidationError naming every bad field. */
export function parseOrThrow<T>(
  schema: {
    safeParse(
      v: unknown,
    ): { success: true; data: T } | { success: false; error: { issues: { path: (string | number)[]; message: string }[] } };
  },
  value: unknown,
  what: string,
  prefix: (string | number)[] = [],
): T {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const details = issuesFromZod(result.error.issues, prefix);
  throw new ValidationError(`invalid ${what}: ${details.map((d) => `${d.path || '(root)'} ${d.message}`).join('; ')}`, details);
}

/**
 * `parseOrThrow` for a request whose objects are strict: an unknown field is named itself
 * (`colour: is not a known field`) rather than the object holding it.
 */
export function parseRequestOrThrow<T>(
  schema: {
    safeParse(
      v: unknown,
    ):
      | { success: true; data: T }
      | { success: false; error: { issues: { path: (string | number)[]; message: string; code?: string; keys?: string[] }[] } };
  },
  value: unknown,
  what: string,
  prefix: (string | number)[] = [],
): T {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const issues = result.error.issues.flatMap((issue) =>
    issue.code === 'unrecognized_keys' && issue.keys
      ? issue.keys.map((key) => ({ path: [...issue.path, key], message: 'is not a known field' }))
      : [issue],
  );
  const details = issuesFromZod(issues, prefix);
  throw new ValidationError(`invalid ${what}: ${details.map((d) => `${d.path || '(root)'} ${d.message}`).join('; ')}`, details);
}
