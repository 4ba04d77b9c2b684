#!/usr/bin/env node
// `npm run fuzz`: a security fuzz run, not a test. Builds the code, starts the three services
// on ports of their own (a fresh database and topic prefix, keys set), sends --requests
// generated requests (fast-check, from --seed) at every route they register, then checks
// that they are healthy and still deliver a normal event. Prints one line:
//   N requests, 0 5xx, 0 unauthorised answers, 0 4xx without a field path, services healthy, a normal event still delivered
// and exits non-zero, after the offending requests grouped by kind, when any figure is not 0.
// Only loopback is ever a target. Everything it creates is removed, also on failure or Ctrl-C.
import { randomInt } from 'node:crypto';
import { createRequire } from 'node:module';
import path from 'node:path';
import { localStack, root, SERVICES } from './local-stack.mjs';
import { failedRun, readFlags, runScript } from './script-flags.mjs';

const require = createRequire(path.join(root, 'package.json'));
const log = (line) => console.log(`[fuzz] ${line}`);

const FLAGS = {
  requests: { value: 10_000, min: 1, max: 1_000_000, help: 'generated requests to send' },
  seed: { value: null, min: -(2 ** 31), max: 2 ** 31 - 1, help: 'fast-check seed (default: random, printed at start)' },
  concurrency: { value: 4, min: 1, max: 32, help: 'requests in flight at once' },
  minutes: { value: 20, min: 1, max: 240, help: 'time budget for sending; unsent requests fail the run' },
  'timeout-ms': { value: 15_000, min: 100, max: 120_000, help: 'a request without an answer by then counts as a 5xx' },
  'ingest-port': { value: 3110, min: 1, max: 65_535, help: 'ingest HTTP port' },
  'rules-port': { value: 3111, min: 1, max: 65_535, help: 'rules HTTP port' },
  'dispatch-port': { value: 3112, min: 1, max: 65_535, help: 'dispatch HTTP port' },
};

function usage() {
  return [
    'usage: node scripts/fuzz.mjs [--flag value ...]',
    '',
    ...Object.entries(FLAGS).map(([name, f]) => `  --${name.padEnd(14)} ${String(f.value ?? 'random').padStart(8)}  ${f.help}`),
    `  --${'help'.padEnd(14)} ${''.padStart(8)}  this text`,
    '',
    'repeat a run: node scripts/fuzz.mjs --seed <the seed it printed> --requests <the same count>',
  ].join('\n');
}

function parseFlags(argv) {
  const opts = readFlags(argv, FLAGS, usage);
  opts.seed ??= randomInt(-(2 ** 31), 2 ** 31 - 1);
  return opts;
}

/** Every route each built service registers, read from its Nest modules (nothing is started). */
function enumerateRoutes(fuzz, env) {
  const loaders = {
    ingest: () =>
      require('./services/ingest/dist/ingest.module.js').IngestModule.forRoot(
        require('./services/ingest/dist/config.js').loadIngestConfig(env),
      ),
    rules: () =>
      require('./services/rules/dist/rules.module.js').RulesModule.forRoot(require('./services/rules/dist/config.js').loadRulesConfig(env)),
    dispatch: () =>
      require('./services/dispatch/dist/dispatch.module.js').DispatchModule.forRoot(
        require('./services/dispatch/dist/config.js').loadDispatchConfig(env),
      ),
  };
  return SERVICES.flatMap(([name]) => fuzz.routesOfControllers(name, fuzz.controllersOfModule(loaders[name]())));
}

async function main(opts) {
  const started = Date.now();
  log(`seed ${opts.seed}, ${opts.requests} requests (repeat with: npm run fuzz -- --seed ${opts.seed} --requests ${opts.requests})`);
  let fuzz;
  let keys;
  const stack = localStack({
    label: 'fuzz',
    ports: { ingest: opts['ingest-port'], rules: opts['rules-port'], dispatch: opts['dispatch-port'] },
    env: () => {
      fuzz = require('./tools/fuzz/dist/index.js'); // built by now
      keys = fuzz.fuzzKeys(opts.seed);
      // Production settings: a provider baseUrl off its real API must be refused, whatever this shell has set.
      return {
        NUDGE_API_KEY: keys.admin,
        NUDGE_INGEST_KEY: keys.ingest,
        NUDGE_INBOX_SECRET: keys.inboxSecret,
        NUDGE_ALLOW_PROVIDER_BASE_URL: undefined,
        LOG_LEVEL: 'error',
      };
    },
    log,
  });
  try {
    await stack.start();
    const routes = enumerateRoutes(fuzz, stack.env);
    log(`${routes.length} routes: ${routes.map((r) => `${r.service} ${r.method} ${r.path}`).join(', ')}`);
    const outcome = await fuzz.fuzzAndCheck({
      targets: stack.urls,
      routes,
      keys,
      requests: opts.requests,
      seed: opts.seed,
      concurrency: opts.concurrency,
      timeoutMs: opts['timeout-ms'],
      budgetMs: opts.minutes * 60_000,
      onProgress: (line) => {
        stack.assertAlive();
        log(line);
      },
    });
    stack.assertAlive();
    const { report, verdict } = outcome;
    log(`happy paths: ${fuzz.describeHappyPaths(report)}`);
    if (report.classes.length) {
      log(`offending requests, grouped (count × violation status service route (kind)), first of each:`);
      for (const line of fuzz.describeClasses(report)) console.log(line);
    }
    await stack.cleanup({ showServiceOutput: !verdict.passed });
    log(`done in ${Math.round((Date.now() - started) / 1000)} s; seed ${opts.seed}`);
    console.log(verdict.line);
    return verdict.passed;
  } catch (error) {
    return failedRun('fuzz', stack, error);
  }
}

runScript('fuzz', parseFlags, main);
