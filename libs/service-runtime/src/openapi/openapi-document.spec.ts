import { z } from 'zod';
import type { AccessibleRoute } from '../list-routes';
import type { ApiOperation } from './api-operation';
import { buildOpenApiDocument, expressPath, openApiPath } from './openapi-document';

const route = (method: string, path: string, access: Partial<AccessibleRoute['access']> = {}): AccessibleRoute => ({
  method,
  path,
  public: access.public ?? false,
  scopes: ['admin', ...(access.scopes ?? [])],
  access: { public: false, scopes: [], ...access },
});

const operations: ApiOperation[] = [
  {
    method: 'put',
    path: '/v1/things/{id}',
    tag: 'Things',
    summary: 'Put a thing',
    request: {
      params: z.object({ id: z.string() }),
      body: { schema: z.object({ name: z.string().min(1) }).strict(), examples: { one: { name: 'a' } } },
    },
    responses: { 200: { description: 'Saved.', content: { schema: z.object({ id: z.string() }), examples: { saved: { id: 't1' } } } } },
    errors: { 409: [{ code: 'conflict', description: 'Taken.', path: 'name' }] },
  },
  { method: 'get', path: ['/open', '/o'], tag: 'Things', summary: 'Open', responses: { 204: { description: 'Nothing.' } } },
];

describe('buildOpenApiDocument', () => {
  const document = buildOpenApiDocument({ service: 'rules', title: 'Things', description: 'Test', operations }, [
    route('PUT', '/v1/things/:id', { scopes: ['ingest', 'user'], writeKey: true }),
    route('GET', '/open', { public: true }),
  ]);
  const put = document.paths?.['/v1/things/{id}']?.put;

  it('takes security from the route: public routes need none, others the admin key or their scopes', () => {
    expect(put?.security).toEqual([{ adminKey: [] }, { ingestKey: [] }, { writeKey: [] }, { userToken: [] }, { userTokenQuery: [] }]);
    expect(document.paths?.['/open']?.get?.security).toEqual([]);
    // A documented path the router does not serve gets the strictest requirement.
    expect(document.paths?.['/o']?.get?.security).toEqual([{ adminKey: [] }]);
    expect(Object.keys(document.components?.securitySchemes ?? {})).toEqual([
      'adminKey',
      'ingestKey',
      'writeKey',
      'userToken',
      'userTokenQuery',
    ]);
  });

  it("adds the errors the route's inputs and access imply, in SPEC's shape, each code with an example", () => {
    expect(Object.keys(put?.responses ?? {})).toEqual(['200', '400', '401', '403', '409', '413', '500']);
    expect(put?.responses?.['409']).toMatchObject({
      content: {
        'application/json': {
          schema: { $ref: '#/components/schemas/Error' },
          examples: {
            conflict: { value: { error: { code: 'conflict', message: 'Taken.', details: [{ path: 'name', message: 'Taken.' }] } } },
          },
        },
      },
    });
    expect(Object.keys(document.paths?.['/open']?.get?.responses ?? {})).toEqual(['204', '500']);
  });

  it('carries the request schemas and examples', () => {
    expect(put?.parameters).toEqual([expect.objectContaining({ in: 'path', name: 'id', required: true })]);
    expect(put?.requestBody).toMatchObject({
      required: true,
      content: {
        'application/json': {
          schema: { type: 'object', properties: { name: { type: 'string', minLength: 1 } } },
          examples: { one: { value: { name: 'a' } } },
        },
      },
    });
  });

  it('converts path templates both ways', () => {
    expect(expressPath('/v1/users/{userId}/inbox/{messageId}')).toBe('/v1/users/:userId/inbox/:messageId');
    expect(openApiPath('/v1/users/:userId/inbox/:messageId')).toBe('/v1/users/{userId}/inbox/{messageId}');
  });
});
