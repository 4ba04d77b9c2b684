import { errorBodySchema, listRoutes, RUNTIME_OPERATIONS } from '@nudge/service-runtime';
import {
  exampleProblems,
  undocumentedRoutes,
  unroutedOperations,
  validateOpenApiDocument,
  securityOf,
  type OpenApiPaths,
  type TestStack,
} from '@nudge/testing';
import { INGEST_API } from '../src/api-reference';
import { startIngest } from './support/ingest-stack';

describe('ingest: GET /openapi.json and /docs', () => {
  let stack: TestStack;
  let document: OpenApiPaths;

  beforeAll(async () => {
    stack = await startIngest('ingest-openapi', { NUDGE_API_KEY: 'admin-key-0123456789', NUDGE_INGEST_KEY: 'ingest-key-0123456789' });
    const response = await fetch(`${stack.url('ingest')}/openapi.json`);
    expect(response.status).toBe(200);
    document = (await response.json()) as typeof document;
  });

  afterAll(() => stack?.stop());

  it('is a valid OpenAPI 3.1 document', async () => {
    expect(document.openapi).toBe('3.1.0');
    await expect(validateOpenApiDocument(document)).resolves.toBeUndefined();
    await expect(validateOpenApiDocument({ ...document, info: { title: 'no version' } })).rejects.toThrow();
  });

  it('documents every registered route, and no route that is not', () => {
    const routes = listRoutes(stack.app('ingest'));
    expect(routes.length).toBeGreaterThan(20);
    expect(undocumentedRoutes(routes, document)).toEqual([]);
    expect(unroutedOperations(routes, document)).toEqual([]);
  });

  it('gives every example that passes its own schema, and error examples in SPEC shape', () => {
    expect(exampleProblems([...INGEST_API.operations, ...RUNTIME_OPERATIONS], document, errorBodySchema)).toEqual([]);
  });

  it("takes each route's credentials from its access metadata", () => {
    expect(securityOf(document, 'post', '/v1/events')).toEqual([{ adminKey: [] }, { ingestKey: [] }]);
    expect(securityOf(document, 'post', '/segment/v1/t')).toEqual([{ adminKey: [] }, { ingestKey: [] }, { writeKey: [] }]);
    expect(securityOf(document, 'delete', '/v1/users/{userId}')).toEqual([{ adminKey: [] }]);
    expect(securityOf(document, 'get', '/openapi.json')).toEqual([]);
  });

  it('renders it at /docs without a key, from files it serves itself', async () => {
    const page = await fetch(`${stack.url('ingest')}/docs`);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toMatch(/^text\/html/);
    const html = await page.text();
    expect(html).toContain('docs/docs.js');
    const script = await fetch(`${stack.url('ingest')}/docs/docs.js`);
    expect(await script.text()).toContain("url: 'openapi.json'");
    for (const asset of html.match(/docs\/[\w.-]+\.(css|js)/g) ?? []) {
      expect((await fetch(`${stack.url('ingest')}/${asset}`)).status).toBe(200);
    }
    expect((await fetch(`${stack.url('ingest')}/docs/package.json`)).status).toBe(401);
  });
});
