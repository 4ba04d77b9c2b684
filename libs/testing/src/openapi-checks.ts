import SwaggerParser from '@apidevtools/swagger-parser';
import type { ZodTypeAny } from 'zod';

/** An operation of a service's API reference, as `ApiOperation` (in `@nudge/service-runtime`) declares it. */
export interface DocumentedOperation {
  method: string;
  path: string | string[];
  request?: { body?: DocumentedContent };
  responses: Record<number, { content?: DocumentedContent | { contentType: string } }>;
}

interface DocumentedContent {
  schema: ZodTypeAny;
  contentType?: string;
  examples?: Record<string, unknown>;
}

/** The parts of an OpenAPI document the checks read. */
export interface OpenApiPaths {
  openapi?: string;
  paths?: Record<string, Record<string, OpenApiOperation | undefined> | undefined>;
}
interface OpenApiOperation {
  security?: Record<string, string[]>[];
  requestBody?: { content?: Record<string, OpenApiMedia> };
  responses?: Record<string, { content?: Record<string, OpenApiMedia> } | undefined>;
}
interface OpenApiMedia {
  examples?: Record<string, { value?: unknown }>;
}

/** The security requirements the document gives an operation (undefined: no such operation). */
export function securityOf(document: OpenApiPaths, method: string, path: string): Record<string, string[]>[] | undefined {
  return document.paths?.[path]?.[method]?.security;
}

/** `/v1/users/:userId` in OpenAPI's form: `/v1/users/{userId}`. */
function openApiPath(expressPath: string): string {
  return expressPath.replace(/:([A-Za-z0-9_]+)/g, '{$1}');
}

/** The routes (`METHOD /path`, from `listRoutes`) the document has no operation for. */
export function undocumentedRoutes(routes: { method: string; path: string }[], document: OpenApiPaths): string[] {
  return routes
    .filter((route) => !document.paths?.[openApiPath(route.path)]?.[route.method.toLowerCase()])
    .map((route) => `${route.method} ${route.path}`);
}

/** The document's operations (`METHOD /path`) that no registered route serves. */
export function unroutedOperations(routes: { method: string; path: string }[], document: OpenApiPaths): string[] {
  const served = new Set(routes.map((route) => `${route.method.toLowerCase()} ${openApiPath(route.path)}`));
  const misses: string[] = [];
  for (const [path, item] of Object.entries(document.paths ?? {})) {
    for (const method of Object.keys(item ?? {})) if (!served.has(`${method} ${path}`)) misses.push(`${method.toUpperCase()} ${path}`);
  }
  return misses;
}

/**
 * Every example of every operation run through its own zod schema, and looked up in the
 * document where it belongs; the problems (`POST /v1/events request example orderPlaced: …`), or [].
 * `errorSchema` checks every example of the document's other 4xx and 5xx answers (the error
 * answers the document adds to each operation).
 */
export function exampleProblems(operations: DocumentedOperation[], document: OpenApiPaths, errorSchema: ZodTypeAny): string[] {
  const problems: string[] = [];
  let checked = 0;
  const ownAnswers = new Set<string>();
  const check = (where: string, content: DocumentedContent, media: OpenApiMedia | undefined) => {
    for (const [name, value] of Object.entries(content.examples ?? {})) {
      checked++;
      const parsed = content.schema.safeParse(value);
      if (!parsed.success) problems.push(`${where} example ${name}: ${JSON.stringify(parsed.error.issues)}`);
      if (JSON.stringify(media?.examples?.[name]?.value) !== JSON.stringify(value))
        problems.push(`${where} example ${name} is not in the document`);
    }
  };
  for (const operation of operations) {
    for (const path of Array.isArray(operation.path) ? operation.path : [operation.path]) {
      const documented = document.paths?.[path]?.[operation.method];
      const where = `${operation.method.toUpperCase()} ${path}`;
      const body = operation.request?.body;
      if (body) check(`${where} request`, body, documented?.requestBody?.content?.[body.contentType ?? 'application/json']);
      for (const [status, response] of Object.entries(operation.responses)) {
        ownAnswers.add(`${operation.method} ${path} ${status}`);
        const content = response.content;
        if (content && 'schema' in content) {
          check(`${where} ${status}`, content, documented?.responses?.[status]?.content?.[content.contentType ?? 'application/json']);
        }
      }
    }
  }
  for (const [path, item] of Object.entries(document.paths ?? {})) {
    for (const [method, operation] of Object.entries(item ?? {})) {
      for (const [status, response] of Object.entries(operation?.responses ?? {})) {
        if (Number(status) < 400 || ownAnswers.has(`${method} ${path} ${status}`)) continue;
        const examples = Object.entries(response?.content?.['application/json']?.examples ?? {});
        if (examples.length === 0) problems.push(`${method.toUpperCase()} ${path} ${status} has no example`);
        for (const [name, example] of examples) {
          checked++;
          const parsed = errorSchema.safeParse(example.value);
          if (!parsed.success)
            problems.push(`${method.toUpperCase()} ${path} ${status} example ${name}: ${JSON.stringify(parsed.error.issues)}`);
        }
      }
    }
  }
  if (checked === 0) problems.push('the document has no examples');
  return problems;
}

/** The document checked against the OpenAPI 3.1 schema by swagger-parser (a copy: the parser resolves refs in place). */
export async function validateOpenApiDocument(document: unknown): Promise<void> {
  await SwaggerParser.validate(structuredClone(document) as Parameters<typeof SwaggerParser.validate>[0]);
}
