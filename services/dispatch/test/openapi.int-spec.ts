import { errorBodySchema, listRoutes, RUNTIME_OPERATIONS } from '@nudge/service-runtime';
import {
  exampleProblems,
  undocumentedRoutes,
  unroutedOperations,
  validateOpenApiDocument,
  securityOf,
  type OpenApiPaths,
} from '@nudge/testing';
import { DISPATCH_API } from '../src/api-reference';
import { startDispatch, type DispatchHarness } from './support/dispatch-stack';

describe('dispatch: GET /openapi.json and /docs', () => {
  let dispatch: DispatchHarness;
  let document: OpenApiPaths;

  beforeAll(async () => {
    dispatch = await startDispatch('dispatch-openapi', {
      NUDGE_API_KEY: 'admin-key-0123456789',
      NUDGE_INBOX_SECRET: 'inbox-secret-0123456789abcdef',
    });
    const response = await fetch(`${dispatch.stack.url('dispatch')}/openapi.json`);
    expect(response.status).toBe(200);
    document = (await response.json()) as typeof document;
  });

  afterAll(() => dispatch?.stop());

  it('is a valid OpenAPI 3.1 document', async () => {
    expect(document.openapi).toBe('3.1.0');
    await expect(validateOpenApiDocument(document)).resolves.toBeUndefined();
    await expect(validateOpenApiDocument({ ...document, info: { title: 'no version' } })).rejects.toThrow();
  });

  it('documents every registered route, and no route that is not', () => {
    const routes = listRoutes(dispatch.stack.app('dispatch'));
    expect(routes.length).toBeGreaterThan(20);
    expect(undocumentedRoutes(routes, document)).toEqual([]);
    expect(unroutedOperations(routes, document)).toEqual([]);
  });

  it('gives every example that passes its own schema, and error examples in SPEC shape', () => {
    expect(exampleProblems([...DISPATCH_API.operations, ...RUNTIME_OPERATIONS], document, errorBodySchema)).toEqual([]);
  });

  it("takes each route's credentials from its access metadata", () => {
    expect(securityOf(document, 'get', '/v1/users/{userId}/inbox')).toEqual([{ adminKey: [] }, { userToken: [] }, { userTokenQuery: [] }]);
    expect(securityOf(document, 'post', '/v1/providers/{provider}/status')).toEqual([{ adminKey: [] }, {}]);
    expect(securityOf(document, 'get', '/v1/messages')).toEqual([{ adminKey: [] }]);
    expect(securityOf(document, 'get', '/u/{token}')).toEqual([]);
  });

  it('renders it at /docs without a key, from files it serves itself', async () => {
    const page = await fetch(`${dispatch.stack.url('dispatch')}/docs`);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toMatch(/^text\/html/);
    const html = await page.text();
    expect(html).toContain('docs/docs.js');
    const script = await fetch(`${dispatch.stack.url('dispatch')}/docs/docs.js`);
    expect(await script.text()).toContain("url: 'openapi.json'");
    for (const asset of html.match(/docs\/[\w.-]+\.(css|js)/g) ?? []) {
      expect((await fetch(`${dispatch.stack.url('dispatch')}/${asset}`)).status).toBe(200);
    }
    expect((await fetch(`${dispatch.stack.url('dispatch')}/docs/package.json`)).status).toBe(401);
  });
});
