import { OpenAPIRegistry, OpenApiGeneratorV31, type ResponseConfig, type ZodContentObject } from '@asteasolutions/zod-to-openapi';
import type { AccessibleRoute } from '../list-routes';
import type { RouteAccess } from '../route-access';
import { type ApiContent, type ApiError, type ApiOpaqueContent, type ApiOperation, errorBodySchema, errorExample } from './api-operation';

/** What a service's OpenAPI document says about the service as a whole. */
export interface ApiReference {
  service: 'ingest' | 'rules' | 'dispatch';
  title: string;
  description: string;
  operations: ApiOperation[];
}

/** The generated document (an OpenAPI 3.1 object). */
export type OpenApiDocument = ReturnType<OpenApiGeneratorV31['generateDocument']>;

/** The schemes a Nudge service accepts (SPEC §9); which ones a route takes is read from its access metadata. */
const SECURITY_SCHEMES = {
  adminKey: {
    type: 'http',
    scheme: 'bearer',
    description: 'The admin key (`NUDGE_API_KEY`, one of its comma-separated keys) as `Authorization: Bearer <key>`: may call every route.',
  },
  ingestKey: {
    type: 'http',
    scheme: 'bearer',
    description: "The app backend's ingest key (`NUDGE_INGEST_KEY`) as `Authorization: Bearer <key>`: events, profiles and consent only.",
  },
  writeKey: {
    type: 'http',
    scheme: 'basic',
    description:
      "The ingest key as Segment's SDKs send their write key: HTTP Basic with the key as user name and no password (or the body's `writeKey`). Segment-compatible routes only.",
  },
  userToken: {
    type: 'apiKey',
    in: 'header',
    name: 'X-Nudge-User-Token',
    description: "An end user's token (hex HMAC-SHA256 of the user id with `NUDGE_INBOX_SECRET`): that user's inbox only.",
  },
  userTokenQuery: {
    type: 'apiKey',
    in: 'query',
    name: 'token',
    description: 'The same user token as the `token` query parameter (an EventSource cannot send headers).',
  },
} as const;

/** Where an error of this status points when the route names nothing itself (as `HttpErrorFilter` does). */
const USUAL_PATH: Record<number, string> = {
  401: 'headers.authorization',
  403: 'headers.authorization',
  404: '(url)',
  409: '(body)',
  413: '(body)',
};

/**
 * The service's OpenAPI 3.1 document, generated from its operations' zod schemas by
 * zod-to-openapi. `routes` (from `accessibleRoutesOf`) give each operation its security: the
 * access its handler declares, so the document cannot claim a key the guard does not take.
 */
export function buildOpenApiDocument(reference: ApiReference, routes: AccessibleRoute[]): OpenApiDocument {
  const registry = new OpenAPIRegistry();
  const errorSchema = registry.register('Error', errorBodySchema);
  for (const [name, scheme] of Object.entries(SECURITY_SCHEMES)) registry.registerComponent('securitySchemes', name, scheme);
  const accessByKey = new Map(routes.map((route) => [`${route.method} ${route.path}`, route.access]));
  for (const operation of reference.operations) {
    for (const path of pathsOf(operation)) {
      const access = accessByKey.get(`${operation.method.toUpperCase()} ${expressPath(path)}`);
      const request = operation.request ?? {};
      registry.registerPath({
        method: operation.method,
        path,
        operationId: operationIdOf(operation.method, path),
        tags: [operation.tag],
        summary: operation.summary,
        ...(operation.description ? { description: operation.description } : {}),
        security: securityOf(access),
        request: {
          ...(request.params ? { params: request.params } : {}),
          ...(request.query ? { query: request.query } : {}),
          ...(request.headers ? { headers: request.headers } : {}),
          ...(request.body ? { body: { required: true, description: request.body.description, content: contentOf(request.body) } } : {}),
        },
        responses: {
          ...Object.fromEntries(
            Object.entries(operation.responses).map(([status, response]): [string, ResponseConfig] => [
              status,
              {
                description: response.description,
                ...(response.content ? { content: contentOf(response.content) } : {}),
                ...(response.headers
                  ? {
                      headers: Object.fromEntries(
                        Object.entries(response.headers).map(([name, description]) => [name, { description, schema: { type: 'string' } }]),
                      ),
                    }
                  : {}),
              },
            ]),
          ),
          ...Object.fromEntries(
            [...errorsOf(operation, access)].map(([status, errors]): [string, ResponseConfig] => [
              String(status),
              {
                description: errors.map((error) => `\`${error.code}\`: ${error.description}`).join(' '),
                content: {
                  'application/json': {
                    schema: errorSchema,
                    examples: Object.fromEntries(
                      errors.map((error) => [
                        error.code,
                        { value: errorExample(error.code, error.description, error.path ?? USUAL_PATH[status] ?? '(request)') },
                      ]),
                    ),
                  },
                },
              },
            ]),
          ),
        },
      });
    }
  }
  const tags = [...new Set(reference.operations.map((operation) => operation.tag))].map((name) => ({ name }));
  return new OpenApiGeneratorV31(registry.definitions).generateDocument({
    openapi: '3.1.0',
    info: { title: reference.title, version: '1', description: reference.description },
    servers: [{ url: '/' }],
    tags,
  });
}

/** Every path an operation is served at. */
export function pathsOf(operation: ApiOperation): string[] {
  return Array.isArray(operation.path) ? operation.path : [operation.path];
}

/** `/v1/users/{userId}` as Express registers it: `/v1/users/:userId`. */
export function expressPath(openApiPath: string): string {
  return openApiPath.replace(/\{([^}]+)\}/g, ':$1');
}

/** `/v1/users/:userId` in OpenAPI's form: `/v1/users/{userId}`. */
export function openApiPath(expressRoutePath: string): string {
  return expressRoutePath.replace(/:([A-Za-z0-9_]+)/g, '{$1}');
}

function operationIdOf(method: string, path: string): string {
  const words = path
    .replace(/\{([^}]+)\}/g, 'by-$1')
    .split(/[^A-Za-z0-9]+/)
    .filter(Boolean);
  return [method, ...words].map((word, i) => (i === 0 ? word : word.charAt(0).toUpperCase() + word.slice(1))).join('');
}

/** OpenAPI's security requirement for a route's access: none for a public route; else any one of the schemes. */
function securityOf(access: RouteAccess | undefined): Record<string, string[]>[] {
  if (access?.public) return [];
  const schemes: Record<string, string[]>[] = [{ adminKey: [] }];
  if (access?.scopes.includes('ingest')) schemes.push({ ingestKey: [] });
  if (access?.scopes.includes('ingest') && access.writeKey) schemes.push({ writeKey: [] });
  if (access?.scopes.includes('user')) schemes.push({ userToken: [] }, { userTokenQuery: [] });
  // A signed provider webhook needs no key: the provider's own signature is checked instead.
  if (access?.exemption) schemes.push({});
  return schemes;
}

/** The error answers an operation may give: the ones its request parts and access imply, then its own. */
function errorsOf(operation: ApiOperation, access: RouteAccess | undefined): Map<number, ApiError[]> {
  const errors = new Map<number, ApiError[]>();
  const add = (status: number, error: ApiError) => {
    if (operation.responses[status]) return;
    const list = errors.get(status) ?? [];
    if (!list.some((known) => known.code === error.code)) list.push(error);
    errors.set(status, list);
  };
  const request = operation.request ?? {};
  if (request.params || request.query || request.body || request.headers) {
    add(400, {
      code: 'validation_failed',
      description: 'A field is missing or invalid; each detail names one (`error.details[].path`).',
      path: firstInputPath(operation),
    });
  }
  if (request.body) {
    add(400, { code: 'invalid_json', description: 'The body is not valid JSON.', path: '(body)' });
    add(413, { code: 'payload_too_large', description: 'The body is larger than the route accepts.', path: '(body)' });
  }
  if (!access?.public) {
    add(401, { code: 'unauthorized', description: 'No key, or a key or token that is not valid.' });
    add(403, {
      code: 'forbidden',
      description: "A valid key or token that may not call this route (another scope, or another user's token).",
    });
  }
  for (const [status, own] of Object.entries(operation.errors ?? {})) for (const error of own) add(Number(status), error);
  add(500, { code: 'internal', description: 'An unexpected failure; the service log has the details.' });
  return new Map([...errors].sort(([a], [b]) => a - b));
}

/** A field the route reads, for the validation example's `details[].path`. */
function firstInputPath(operation: ApiOperation): string {
  const request = operation.request ?? {};
  const query = request.query ? Object.keys(request.query.shape)[0] : undefined;
  if (query) return `query.${query}`;
  const param = request.params ? Object.keys(request.params.shape)[0] : undefined;
  return param ?? '(body)';
}

function contentOf(content: ApiContent | ApiOpaqueContent): ZodContentObject {
  if (!('schema' in content)) return { [content.contentType]: { schema: { type: 'string', description: content.description } } };
  const examples = Object.entries(content.examples ?? {});
  return {
    [content.contentType ?? 'application/json']: {
      schema: content.schema,
      ...(examples.length ? { examples: Object.fromEntries(examples.map(([name, value]) => [name, { value }])) } : {}),
    },
  };
}
