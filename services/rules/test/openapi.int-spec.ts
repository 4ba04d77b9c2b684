import { errorBodySchema, listRoutes, RUNTIME_OPERATIONS } from '@nudge/service-runtime';
import {
  exampleProblems,
  TestStack,
  undocumentedRoutes,
  unroutedOperations,
  validateOpenApiDocument,
  securityOf,
  type OpenApiPaths,
} from '@nudge/testing';
import { createRulesApp } from '@nudge/rules';
import { RULES_API } from '../src/api-reference';

describe('rules: GET /openapi.json and /docs', () => {
  let stack: TestStack;
  let document: OpenApiPaths;

  beforeAll(async () => {
    stack = await TestStack.start({
      factories: { rules: createRulesApp },
      label: 'rules-openapi',
      env: { NUDGE_API_KEY: 'admin-key-0123456789', NUDGE_INGEST_KEY: 'ingest-key-0123456789' },
    });
    const response = await fetch(`${stack.url('rules')}/openapi.json`);
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
    const routes = listRoutes(stack.app('rules'));
    expect(routes.length).toBeGreaterThan(15);
    expect(undocumentedRoutes(routes, document)).toEqual([]);
    expect(unroutedOperations(routes, document)).toEqual([]);
  });

  it('gives every example that passes its own schema, and error examples in SPEC shape', () => {
    expect(exampleProblems([...RULES_API.operations, ...RUNTIME_OPERATIONS], document, errorBodySchema)).toEqual([]);
  });

  it("takes each route's credentials from its access metadata, and names every decision outcome code", () => {
    expect(securityOf(document, 'put', '/v1/campaigns/{id}')).toEqual([{ adminKey: [] }]);
    expect(securityOf(document, 'get', '/health')).toEqual([]);
    expect(JSON.stringify(document)).toContain('"no_consent"');
  });

  it('renders it at /docs without a key, from files it serves itself', async () => {
    const page = await fetch(`${stack.url('rules')}/docs`);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toMatch(/^text\/html/);
    const html = await page.text();
    expect(html).toContain('docs/docs.js');
    const script = await fetch(`${stack.url('rules')}/docs/docs.js`);
    expect(await script.text()).toContain("url: 'openapi.json'");
    for (const asset of html.match(/docs\/[\w.-]+\.(css|js)/g) ?? []) {
      expect((await fetch(`${stack.url('rules')}/${asset}`)).status).toBe(200);
    }
    expect((await fetch(`${stack.url('rules')}/docs/package.json`)).status).toBe(401);
  });
});
