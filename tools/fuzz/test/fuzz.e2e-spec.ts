import { createDispatchApp } from '@nudge/dispatch';
import { createIngestApp } from '@nudge/ingest';
import { createRulesApp } from '@nudge/rules';
import { TestStack } from '@nudge/testing';
import { controllersOfApp, describeClasses, fuzzAndCheck, fuzzKeys, routesOfControllers, runFuzz, type ServiceName } from '../src';

/** `npm run fuzz`, seeded and small enough for every `npm test` (issue 10 §8). */
const SEED = 20261203;
const REQUESTS = 500;
const SERVICES: ServiceName[] = ['ingest', 'rules', 'dispatch'];
const keys = fuzzKeys(SEED);

describe(`a seeded fuzz run of ${REQUESTS} requests at every route`, () => {
  let stack: TestStack;

  beforeAll(async () => {
    stack = await TestStack.start({
      factories: { ingest: createIngestApp, rules: createRulesApp, dispatch: createDispatchApp },
      // Production settings: the test stack lets providers point at fakes, which a hostile baseUrl would pass.
      env: {
        NUDGE_API_KEY: keys.admin,
        NUDGE_INGEST_KEY: keys.ingest,
        NUDGE_INBOX_SECRET: keys.inboxSecret,
        NUDGE_ALLOW_PROVIDER_BASE_URL: '0',
      },
      label: 'fuzz',
    });
  });
  afterAll(() => stack?.stop());

  it('gets no 5xx, no unauthorised answer, no 4xx without a field path, and leaves the services healthy and delivering', async () => {
    const routes = SERVICES.flatMap((name) => routesOfControllers(name, controllersOfApp(stack.app(name))));
    const targets = { ingest: stack.url('ingest'), rules: stack.url('rules'), dispatch: stack.url('dispatch') };

    const outcome = await fuzzAndCheck({
      targets,
      routes,
      keys,
      requests: REQUESTS,
      seed: SEED,
      concurrency: 4,
      timeoutMs: 10_000,
      budgetMs: 90_000,
      deliveryTimeoutMs: 30_000,
    });

    // The offending requests, grouped, each with its first example: what to fix is in the diff.
    expect({ verdict: outcome.verdict.line, offending: describeClasses(outcome.report, 25) }).toEqual({
      verdict: `${REQUESTS} requests, 0 5xx, 0 unauthorised answers, 0 4xx without a field path, services healthy, a normal event still delivered`,
      offending: [],
    });
  }, 240_000);
});

describe('the fuzz run itself', () => {
  let open: TestStack;

  beforeAll(async () => {
    open = await TestStack.start({
      factories: { ingest: createIngestApp, rules: createRulesApp, dispatch: createDispatchApp },
      label: 'fuzz-open',
    });
  });
  afterAll(() => open?.stop());

  it('counts unauthorised answers when the services run without keys', async () => {
    const routes = SERVICES.flatMap((name) => routesOfControllers(name, controllersOfApp(open.app(name))));
    const targets = { ingest: open.url('ingest'), rules: open.url('rules'), dispatch: open.url('dispatch') };

    const report = await runFuzz({ targets, routes, keys, requests: 200, seed: SEED, concurrency: 4, timeoutMs: 10_000 });

    expect(report.notEntitled).toBeGreaterThan(0);
    expect(report.unauthorised).toBeGreaterThan(10);
    // An admin route answered without a key is among them (which ones the seed draws moves as routes are added;
    // 200 requests keep more than 10 unauthorised answers however many ingest routes share the draw).
    expect(report.classes.some((c) => /^unauthorised 2\d\d rules (GET|PUT|POST) \/v1\//.test(c.key))).toBe(true);
  }, 120_000);
});
