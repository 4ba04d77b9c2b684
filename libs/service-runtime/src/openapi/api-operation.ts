import { extendZodWithOpenApi } from '@asteasolutions/zod-to-openapi';
import { z, type AnyZodObject, type ZodTypeAny } from 'zod';
import type { ErrorBody } from '../http-error.filter';

// Adds `.openapi()` to zod's types, which zod-to-openapi's registry uses to name components.
extendZodWithOpenApi(z);

/** Named example values of one schema (each must pass that schema: the services' OpenAPI tests check). */
export type ApiExamples = Record<string, unknown>;

/** A request body or a response body: the zod schema that validates it and examples that pass it. */
export interface ApiContent {
  schema: ZodTypeAny;
  /** `application/json` unless said otherwise. */
  contentType?: string;
  examples?: ApiExamples;
  description?: string;
}

/** A non-JSON answer (HTML page, redirect, stream): described, without a zod schema. */
export interface ApiOpaqueContent {
  contentType: string;
  description: string;
}

export interface ApiResponse {
  description: string;
  content?: ApiContent | ApiOpaqueContent;
  /** Response headers worth naming (`Location` of a redirect). */
  headers?: Record<string, string>;
}

/** An error answer a route gives besides the ones every route may give: its SPEC error `code` and when. */
export interface ApiError {
  code: string;
  description: string;
  /** The `error.details[].path` this error names (default: the status's usual place). */
  path?: string;
}

/**
 * One operation of a service's HTTP API as its OpenAPI document describes it, kept next to
 * the controller that serves it. Request parts are the zod schemas the route validates with;
 * who may call it is read from the route's own access metadata (`@Public`, `@Scope`, …).
 */
export interface ApiOperation {
  method: 'get' | 'post' | 'put' | 'delete' | 'patch';
  /** OpenAPI form (`/v1/users/{userId}`); several when one handler serves several paths (Segment's short ones). */
  path: string | string[];
  /** Groups operations in the rendered docs. */
  tag: string;
  summary: string;
  description?: string;
  request?: {
    params?: AnyZodObject;
    query?: AnyZodObject;
    headers?: AnyZodObject;
    body?: ApiContent;
  };
  /** Success answers by status. */
  responses: Record<number, ApiResponse>;
  /** Errors particular to this route, by status (400, 401, 403, 413 and 500 are added where they apply). */
  errors?: Record<number, ApiError[]>;
}

const errorDetailSchema = z.object({
  path: z
    .string()
    .describe(
      'The part of the request at fault: a body field (`channels.email.address`), `query.limit`, `userId`, `headers.authorization`, `(body)`, `(url)`.',
    ),
  message: z.string(),
});

/** SPEC's error body, as `HttpErrorFilter` writes it: every 4xx names at least one part of the request in `details`. */
export const errorBodySchema = z
  .object({
    error: z
      .object({
        code: z
          .string()
          .describe(
            'Stable, machine-readable: validation_failed, invalid_json, unauthorized, forbidden, not_found, conflict, payload_too_large, unavailable, internal, …',
          ),
        message: z.string().describe('For people; may change.'),
        details: z.array(errorDetailSchema).optional(),
      })
      .strict(),
  })
  .strict() satisfies z.ZodType<ErrorBody>;

/** An error body as an example. */
export function errorExample(code: string, message: string, path?: string): ErrorBody {
  return { error: { code, message, ...(path ? { details: [{ path, message }] } : {}) } };
}

/** Request and response parts that are plain text identifiers in the path (`{userId}`, `{id}`). */
export function pathParams<K extends string>(...names: K[]): z.ZodObject<Record<K, z.ZodString>> {
  return z.object(Object.fromEntries(names.map((name) => [name, z.string()])) as Record<K, z.ZodString>);
}
