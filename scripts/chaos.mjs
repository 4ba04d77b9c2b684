#!/usr/bin/env node
// `npm run chaos`: a fault run, not a test. Starts a stack of its own as processes — an embedded
// Postgres and a Kafka broker with their own ports and data dirs (never the shared ones), the
// three built services (scripts/local-stack.mjs), and a fake Twilio outside them
// (scripts/chaos-provider.mjs) — drives --events events for --users users through five sms
// campaigns (scripts/chaos-workload.mjs) while it kill -9s every service, the broker and
// Postgres at seeded moments (restarting each) and makes the provider fail for a while
// (scripts/chaos-faults.mjs). Once the stack is quiet it compares the decision log, the
// messages and the provider's counts with what `nudge simulate` decides for the same events
// (scripts/chaos-verdict.mjs), and prints one line:
//   N events, M expected sends, M delivered, 0 lost, 0 duplicated, U unknown, faults: …
// exiting non-zero on a loss, a duplicate, a decision that differs, or a message left queued.
// Everything it starts is removed at the end, also on failure or Ctrl-C; every wait is bounded.
import { spawn } from 'node:child_process';
import { randomBytes, randomInt } from 'node:crypto';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { faultPlan, freePort, killsPerInstance, ownKafka, ownPostgres } from './chaos-faults.mjs';
import { chaosVerdict, requiredDecisions, summaryLine, verdictDetails } from './chaos-verdict.mjs';
import {
  chaosCampaigns,
  chaosEvents,
  chaosProfile,
  chaosSettings,
  prng,
  TWILIO_SID_ENV,
  TWILIO_TOKEN_ENV,
  userId,
  WINDOW_RUN_LIMIT_MS,
  windowAround,
  writeConfigDir,
} from './chaos-workload.mjs';
import { instanceName, localStack, REPLICATED, root, withTimeout } from './local-stack.mjs';
import { failedRun, readFlags, runScript } from './script-flags.mjs';

const require = createRequire(path.join(root, 'package.json'));
const started = Date.now();
const log = (line) => console.log(`[chaos ${String(Math.round((Date.now() - started) / 1000)).padStart(4)}s] ${line}`);
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

// ---------------------------------------------------------------------------
// Flags

const FLAGS = {
  events: { value: 100_000, max: 5_000_000, help: 'events to drive through ingest' },
  users: { value: 5_000, max: 1_000_000, help: 'users (profiles with an sms number) the events are for' },
  seed: { value: null, min: 0, max: 2 ** 31 - 1, help: 'draws users, events and the fault plan (default: random, printed)' },
  rate: { value: 400, max: 20_000, help: 'events/s offered to ingest (the faults are spread over events/rate seconds)' },
  'provider-seconds': { value: 60, min: 0, max: 3_600, help: 'seconds the provider answers 500 / 429 / times out, in three episodes' },
  'quiet-seconds': { value: 900, max: 7_200, help: 'longest wait for the stack to settle after the load and the faults' },
  'ingest-port': { value: 0, min: 0, max: 65_535, help: 'ingest HTTP port (0: a free one)' },
  'rules-port': { value: 0, min: 0, max: 65_535, help: 'rules HTTP port (0: a free one)' },
  'dispatch-port': { value: 0, min: 0, max: 65_535, help: 'dispatch HTTP port (0: a free one)' },
  replicas: { value: 1, min: 1, max: 4, help: 'instances each of rules and dispatch (rules, rules-2, …; each killed too)' },
};

/** `--small`: the seeded version inside `npm test`; its values replace the defaults, flags still win. */
const SMALL = { events: 2_000, users: 200, rate: 60, 'provider-seconds': 6, 'quiet-seconds': 100 };

function usage() {
  return [
    'usage: node scripts/chaos.mjs [--small] [--flag value ...]',
    '',
    ...Object.entries(FLAGS).map(([name, f]) => `  --${name.padEnd(17)} ${String(f.value ?? 'random').padStart(7)}  ${f.help}`),
    `  --${'small'.padEnd(17)} ${''.padStart(7)}  the quick version (npm test): ${Object.entries(SMALL)
      .map(([k, v]) => `--${k} ${v}`)
      .join(' ')},`,
    `  ${''.padEnd(27)}  each service, the broker killed once (not Postgres), shorter delays and leases`,
    `  --${'help'.padEnd(17)} ${''.padStart(7)}  this text`,
    '',
    'Faults (full run): ingest, rules, dispatch kill -9 twice each, the Kafka broker and Postgres once,',
    'each restarted on its data; the provider fails for --provider-seconds. With --replicas N the kills of',
    'rules and dispatch are spread over their instances, each instance killed at least once (rules×1 rules-2×1 …).',
    'Repeat a run with the seed it printed.',
    'Prints: N events, M expected sends, M delivered, 0 lost, 0 duplicated, U unknown, faults: …',
  ].join('\n');
}

function parseFlags(argv) {
  const small = argv.includes('--small');
  const rest = argv.filter((a) => a !== '--small');
  const flags = small ? Object.fromEntries(Object.entries(FLAGS).map(([k, f]) => [k, { ...f, value: SMALL[k] ?? f.value }])) : FLAGS;
  const opts = readFlags(rest, flags, usage);
  opts.small = small;
  opts.seed ??= randomInt(0, 2 ** 31 - 1);
  return opts;
}

/** What differs between the full run and --small, besides the flags' defaults. */
function profileOf(opts) {
  const profile = opts.small
    ? {
        kills: { ingest: 1, rules: 1, dispatch: 1, kafka: 1, postgres: 0 },
        delay: 'PT3S',
        journeyWait: 'PT3S',
        leaseSeconds: 4,
        retryMaxMs: 2_000,
      }
    : {
        kills: { ingest: 2, rules: 2, dispatch: 2, kafka: 1, postgres: 1 },
        delay: 'PT5S',
        journeyWait: 'PT5S',
        leaseSeconds: 6,
        retryMaxMs: 5_000,
      };
  return { ...profile, kills: killsPerInstance(profile.kills, opts.replicas) };
}

// ---------------------------------------------------------------------------
// The fake provider, as its own process

async function startProvider(account, token) {
  const child = spawn(
    process.execPath,
    [path.join(root, 'scripts', 'chaos-provider.mjs'), '--port', '0', '--account', account, '--token', token],
    {
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let output = '';
  child.stdout.on('data', (chunk) => (output += chunk));
  child.stderr.on('data', (chunk) => (output += chunk));
  const port = await withTimeout(
    new Promise((resolve, reject) => {
      const poll = setInterval(() => {
        const match = /^listening (\d+)$/m.exec(output);
        if (match) {
          clearInterval(poll);
          resolve(Number(match[1]));
        } else if (child.exitCode !== null) {
          clearInterval(poll);
          reject(new Error(`the fake provider exited: ${output}`));
        }
      }, 50);
    }),
    15_000,
    'starting the fake provider',
  );
  const url = `http://127.0.0.1:${port}`;
  const control = async (mode, hangMs) => {
    const response = await fetch(`${url}/control`, {
      method: 'POST',
      body: JSON.stringify({ mode, hangMs }),
      signal: AbortSignal.timeout(5_000),
    });
    if (!response.ok) throw new Error(`the fake provider refused mode ${mode}: ${response.status}`);
  };
  const counts = async () => (await fetch(`${url}/counts`, { signal: AbortSignal.timeout(30_000) })).json();
  const stop = () =>
    new Promise((resolve) => {
      if (child.exitCode !== null || child.signalCode !== null) return resolve();
      const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
      child.once('exit', () => (clearTimeout(timer), resolve()));
      child.kill('SIGTERM');
    });
  return { url, child, control, counts, stop };
}

// ---------------------------------------------------------------------------
// Driving the events

async function sendJson(method, url, body, timeoutMs = 30_000) {
  const response = await fetch(url, {
    method,
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
    signal: AbortSignal.timeout(timeoutMs),
  });
  return { status: response.status, text: await response.text() };
}

/**
 * Sends `body` until ingest takes it (202/200), waiting out the faults: a refused connection,
 * a 503 while Kafka or Postgres is away. Any other answer is a bug and stops the run.
 */
async function sendUntilTaken(stack, method, url, body, what, deadlineMs = 300_000) {
  const deadline = Date.now() + deadlineMs;
  for (let attempt = 0; ; attempt++) {
    stack.assertAlive();
    let outcome;
    try {
      outcome = await sendJson(method, url, body);
    } catch (error) {
      outcome = { status: 0, text: error.message };
    }
    if (outcome.status === 200 || outcome.status === 202) return attempt;
    if (outcome.status !== 0 && outcome.status !== 503 && outcome.status < 500)
      throw new Error(`${what}: ingest answered ${outcome.status}: ${outcome.text.slice(0, 500)}`);
    if (Date.now() > deadline)
      throw new Error(`${what}: not taken within ${deadlineMs / 1000} s (last: ${outcome.status} ${outcome.text.slice(0, 200)})`);
    await sleep(Math.min(2_000, 200 * 2 ** Math.min(attempt, 4)));
  }
}

/**
 * Posts `events` at `rate`/s on `lanes` lanes. A user's events all go on one lane, one batch
 * after the other, so they reach Kafka in order; each batch is stamped when first posted
 * (never decreasing per lane), which is the timestamp simulate replays its events at.
 */
async function drive(stack, ingestUrl, events, { rate, lanes = 8, startAt, check = () => {} }) {
  const queues = Array.from({ length: lanes }, () => []);
  events.forEach((event, n) => queues[event.user % lanes].push({ event, dueAt: startAt + (n * 1000) / rate }));
  let retries = 0;
  let taken = 0;
  let lastLog = Date.now();
  await Promise.all(
    queues.map(async (queue) => {
      let lastStamp = 0;
      for (let i = 0; i < queue.length;) {
        stack.assertAlive();
        check();
        const wait = queue[i].dueAt - Date.now();
        if (wait > 0) {
          await sleep(Math.min(wait, 250));
          continue;
        }
        const batch = [];
        while (i < queue.length && batch.length < 500 && queue[i].dueAt <= Date.now()) batch.push(queue[i++].event);
        // Never ahead of the clock (a send due "now" would then be logged `scheduled` live and
        // not in simulate); ties keep the batch's order, in Kafka as in simulate's stable sort.
        lastStamp = Math.max(Date.now(), lastStamp);
        for (const event of batch) event.timestamp = new Date(lastStamp).toISOString();
        const body = {
          events: batch.map(({ eventId, userId: user, name, timestamp, properties }) => ({
            eventId,
            userId: user,
            name,
            timestamp,
            properties,
          })),
        };
        retries += await sendUntilTaken(stack, 'POST', `${ingestUrl}/v1/events/batch`, body, `events ${batch[0].eventId}…`);
        taken += batch.length;
        if (Date.now() - lastLog > 10_000) {
          lastLog = Date.now();
          log(`  ${taken}/${events.length} events taken by ingest (${retries} retried posts)`);
        }
      }
    }),
  );
  return { retries };
}

// ---------------------------------------------------------------------------
// The faults

async function runFaults({ stack, kafka, postgres, provider, plan, startAt, done }) {
  const untilMoment = async (at) => {
    for (let wait = startAt + at - Date.now(); wait > 0; wait = startAt + at - Date.now()) {
      stack.assertAlive();
      await sleep(Math.min(wait, 250));
    }
  };
  const allHealthy = (what) =>
    stack.waitUntil(
      `every service healthy again after ${what}`,
      async () => (await Promise.all(stack.instances.map(({ name }) => stack.isHealthy(name)))).every(Boolean),
      180_000,
      250,
    );

  // A restarted rules or dispatch answers only once it rejoined its consumer group, after the
  // killed member's session (30 s) ran out; the load and the other faults go on meanwhile, as
  // they would in production. A service is killed again only once its last restart is up.
  const restarts = new Map();
  const kills = (async () => {
    for (const { at, target } of plan.kills) {
      await untilMoment(at);
      await restarts.get(target);
      const t0 = Date.now();
      if (target === 'kafka' || target === 'postgres') {
        const server = target === 'kafka' ? kafka : postgres;
        await server.kill();
        log(`kill -9 ${target}; restarting it on its data dir`);
        await server.start();
        log(`${target} back in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
      } else {
        await stack.killService(target);
        log(`kill -9 ${target}; restarting it`);
        const restart = stack
          .restartService(target, { healthy: false, timeoutMs: 180_000 })
          .then(() => log(`${target} answers again ${((Date.now() - t0) / 1000).toFixed(1)} s after its kill`));
        restart.catch(() => {}); // awaited below
        restarts.set(target, restart);
      }
      done.kills[target] = (done.kills[target] ?? 0) + 1;
    }
    await Promise.all(restarts.values());
    await allHealthy('the faults');
  })();

  const outages = (async () => {
    for (const { at, mode, ms } of plan.provider) {
      await untilMoment(at);
      await provider.control(mode, 4_000);
      log(`provider: ${mode === 'timeout' ? 'takes messages but answers too late' : `answers ${mode}`} for ${ms / 1000} s`);
      const t0 = Date.now();
      await sleep(ms);
      await provider.control('ok');
      done.providerMs += Date.now() - t0;
    }
  })();

  // Both run to the end even if one fails, so no outage is left on.
  const results = await Promise.allSettled([kills, outages]);
  const failed = results.find((r) => r.status === 'rejected');
  if (failed) throw failed.reason;
}

function describeFaults(done, instances) {
  const parts = [...instances.map((i) => i.name), 'kafka', 'postgres'].filter((t) => done.kills[t]).map((t) => `${t}×${done.kills[t]}`);
  if (done.providerMs > 0) parts.push(`provider ${Math.round(done.providerMs / 1000)}s`);
  return parts.join(' ') || 'none';
}

// ---------------------------------------------------------------------------
// The oracle and the quiet wait

async function runSimulate(configDir, eventsFile, profilesFile, outFile) {
  const cli = path.join(root, 'tools', 'cli', 'bin', 'nudge.js');
  // To a file: the CLI exits as soon as it is done, which may cut a large answer short on a pipe.
  const out = fs.openSync(outFile, 'w');
  let err = '';
  let child;
  try {
    child = spawn(
      process.execPath,
      ['--max-old-space-size=4096', cli, 'simulate', configDir, '--events', eventsFile, '--profiles', profilesFile, '--json'],
      {
        cwd: root,
        stdio: ['ignore', out, 'pipe'],
      },
    );
    child.stderr.on('data', (chunk) => (err += chunk));
    const code = await withTimeout(new Promise((resolve) => child.once('exit', resolve)), 1_200_000, 'nudge simulate');
    if (code !== 0) throw new Error(`nudge simulate exited ${code}: ${err.slice(-2000)}${fs.readFileSync(outFile, 'utf8').slice(0, 2000)}`);
  } catch (error) {
    child?.kill('SIGKILL');
    throw error;
  } finally {
    fs.closeSync(out);
  }
  return JSON.parse(fs.readFileSync(outFile, 'utf8'));
}

/**
 * Waits until the stack has nothing left to do: as many decisions as simulate expects (less
 * the `scheduled` ones, which a late decision skips), a message for every `sent` decision (a
 * send request still in the dispatch topic — its consumer rejoining after a broker restart can
 * sit still for seconds — is not yet a loss), no timer or journey run pending, no message
 * queued, the provider's count unchanged. Gives up (and lets the verdict say what is missing)
 * when nothing moved for a minute or at `quietMs`.
 */
async function waitQuiet({ stack, db, provider, expectedDecisions, quietMs }) {
  const deadline = Date.now() + quietMs;
  let calm = 0;
  let last = '';
  let lastChange = Date.now();
  let lastLog = 0;
  for (;;) {
    stack.assertAlive();
    let state;
    try {
      const [row] = (
        await db.query(`SELECT (SELECT count(*) FROM decisions WHERE outcome <> 'scheduled')::int AS decisions,
          (SELECT count(*) FROM messages WHERE status = 'queued')::int AS queued,
          (SELECT count(*) FROM messages)::int AS messages,
          (SELECT count(*) FROM decisions WHERE outcome = 'sent')::int AS sent,
          (SELECT count(*) FROM pending_sends)::int AS pending,
          (SELECT count(*) FROM journey_runs WHERE status = 'active')::int AS runs`)
      ).rows;
      state = { ...row, calls: (await provider.counts()).created };
    } catch (error) {
      state = { error: error.message };
    }
    const key = JSON.stringify(state);
    if (key !== last) {
      last = key;
      lastChange = Date.now();
    }
    const settled =
      !state.error &&
      state.decisions >= expectedDecisions &&
      state.messages >= state.sent &&
      state.queued === 0 &&
      state.pending === 0 &&
      state.runs === 0;
    calm = settled && Date.now() - lastChange >= 2_000 ? calm + 1 : 0;
    if (Date.now() - lastLog > 10_000) {
      lastLog = Date.now();
      log(`  waiting for quiet: ${key} (${expectedDecisions} decisions expected)`);
    }
    if (calm >= 2) return { settled: true, state };
    if (Date.now() - lastChange > 60_000) return { settled: false, state, why: 'nothing moved for 60 s' };
    if (Date.now() > deadline) return { settled: false, state, why: `not quiet after ${quietMs / 1000} s` };
    await sleep(1_000);
  }
}

// ---------------------------------------------------------------------------

async function main(opts) {
  const profile = profileOf(opts);
  const durationMs = (opts.events / opts.rate) * 1000;
  if (durationMs > WINDOW_RUN_LIMIT_MS / 2)
    throw new Error(`--events / --rate is ${Math.round(durationMs / 1000)} s of load; keep it under ${WINDOW_RUN_LIMIT_MS / 2000} s`);
  log(
    `seed ${opts.seed}: ${opts.events} events for ${opts.users} users at ${opts.rate}/s${opts.replicas > 1 ? `, ${opts.replicas} instances each of rules and dispatch` : ''} (repeat with: npm run chaos -- ${opts.small ? '--small ' : ''}--seed ${opts.seed} --events ${opts.events} --users ${opts.users}${opts.replicas > 1 ? ` --replicas ${opts.replicas}` : ''})`,
  );
  // Our own broker, whatever this shell points at (the test suite sets KAFKA_BROKERS to the shared one).
  delete process.env.KAFKA_BROKERS;

  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'nudge-chaos-'));
  // As root, Postgres runs as the `postgres` user, who must be able to enter the temp dir.
  fs.chmodSync(tmp, 0o711);
  const configDir = path.join(tmp, 'config');
  const oracleDir = path.join(tmp, 'oracle');
  const [kafkaPort, pgPort] = [await freePort({ pair: true }), await freePort()];
  const kafka = ownKafka({ port: kafkaPort, dataDir: path.join(tmp, 'kafka'), log });
  const postgres = ownPostgres({ port: pgPort, dataDir: path.join(tmp, 'postgres', 'data'), log });
  const ports = {
    ingest: opts['ingest-port'] || (await freePort()),
    rules: opts['rules-port'] || (await freePort()),
    dispatch: opts['dispatch-port'] || (await freePort()),
  };
  // Further instances on free ports of their own (not port + 10, which may be anything here).
  for (const service of REPLICATED) {
    for (let i = 1; i < opts.replicas; i++) ports[instanceName(service, i)] = await freePort();
  }
  const account = `AC${randomBytes(16).toString('hex')}`;
  const token = randomBytes(16).toString('hex');
  let provider = null;
  let db = null;

  const stack = localStack({
    label: 'chaos',
    ports,
    env: {
      NUDGE_CONFIG_DIR: configDir,
      NUDGE_ALLOW_PROVIDER_BASE_URL: '1', // the provider is a local fake
      [TWILIO_SID_ENV]: account,
      [TWILIO_TOKEN_ENV]: token,
      NUDGE_API_KEY: undefined,
      NUDGE_INGEST_KEY: undefined,
      DISPATCH_LEASE_SECONDS: String(profile.leaseSeconds),
      DISPATCH_RETRY_MAX_MS: String(profile.retryMaxMs),
      DISPATCH_RETRY_BASE_MS: '500',
      DISPATCH_SETTINGS_REFRESH_MS: '500',
      LOG_LEVEL: 'warn',
    },
    // A service that exits unasked (one started while the broker or Postgres is away gives up
    // after kafkajs' retries) is started again, as a supervisor would; each is reported.
    supervise: 5,
    replicas: opts.replicas,
    kafka: () => kafka.start(),
    postgresUrl: postgres.url,
    onDatabase: async (url) => {
      const { Pool } = require('pg');
      db = new Pool({ connectionString: url, max: 2, application_name: 'nudge-chaos' });
      db.on('error', () => {}); // a killed Postgres ends idle clients; the next query reconnects
    },
    beforeDrop: async () => db?.end(),
    afterCleanup: async () => {
      await provider?.stop();
      await kafka.stop().catch((error) => log(`stopping Kafka: ${error.message}`));
      await postgres.stop().catch((error) => log(`stopping Postgres: ${error.message}`));
      fs.rmSync(tmp, { recursive: true, force: true });
      log(`removed ${tmp}`);
    },
    log,
  });

  try {
    provider = await startProvider(account, token);
    const rnd = prng(opts.seed);
    const campaigns = chaosCampaigns({ delay: profile.delay, journeyWait: profile.journeyWait, window: windowAround(new Date()) });
    const settings = chaosSettings({ providerUrl: provider.url });
    writeConfigDir(configDir, campaigns, settings);
    // simulate reads the same campaigns and settings, less the providers: the CLI refuses a
    // baseUrl off the provider's API whatever the environment says, and providers decide nothing.
    writeConfigDir(oracleDir, campaigns, { ...settings, providers: {} });
    log(`fake Twilio at ${provider.url}; starting Postgres on :${pgPort} and Kafka on :${kafkaPort} (data in ${tmp})`);
    await postgres.start();
    await stack.start();

    const profiles = Array.from({ length: opts.users }, (_, i) => ({ userId: userId(i), ...chaosProfile(i, rnd) }));
    const events = chaosEvents({ events: opts.events, users: opts.users, rnd });
    const plan = faultPlan({ rnd, durationMs, kills: profile.kills, providerSeconds: opts['provider-seconds'] });
    log(
      `fault plan: ${plan.kills.map((k) => `${k.target}@${(k.at / 1000).toFixed(0)}s`).join(' ')}${plan.provider.map((p) => ` provider-${p.mode}@${(p.at / 1000).toFixed(0)}s`).join('')}`,
    );

    const t0 = Date.now();
    let next = 0;
    await Promise.all(
      Array.from({ length: 48 }, async () => {
        while (next < profiles.length) {
          const { userId: id, ...body } = profiles[next++];
          await sendUntilTaken(stack, 'PUT', `${stack.urls.ingest}/v1/users/${id}`, body, `PUT /v1/users/${id}`);
        }
      }),
    );
    log(`${profiles.length} users created in ${((Date.now() - t0) / 1000).toFixed(1)} s`);

    // The canary: the first event reaches the fake provider before the load starts, so every
    // message is stored with the Twilio provider in force (not the sandbox of an empty settings).
    await drive(stack, stack.urls.ingest, events.slice(0, 1), { rate: opts.rate, lanes: 1, startAt: Date.now() });
    await stack.waitUntil(
      'the canary message at the fake provider',
      async () => ((await provider.counts()).sends['chaos-now:chaos-e0:main'] ?? 0) > 0,
      60_000,
      200,
    );
    log('canary delivered through the fake Twilio: driving the load');

    const startAt = Date.now();
    const done = { kills: {}, providerMs: 0 };
    const faults = runFaults({ stack, kafka, postgres, provider, plan, startAt, done });
    let faultFailure = null;
    faults.catch((error) => (faultFailure = error)); // awaited below; stops the load at once
    const check = () => {
      if (faultFailure) throw faultFailure;
    };
    const driven = await drive(stack, stack.urls.ingest, events.slice(1), { rate: opts.rate, startAt, check }).catch(async (error) => {
      await faults.catch(() => {});
      throw error;
    });
    log(`all ${events.length} events taken by ingest in ${((Date.now() - startAt) / 1000).toFixed(1)} s (${driven.retries} posts retried)`);
    await faults;
    log(`faults done: ${describeFaults(done, stack.instances)}`);

    const eventsFile = path.join(tmp, 'events.ndjson');
    const profilesFile = path.join(tmp, 'profiles.ndjson');
    fs.writeFileSync(
      eventsFile,
      events
        .map(({ eventId, userId: user, name, timestamp, properties }) =>
          JSON.stringify({ eventId, userId: user, name, timestamp, properties }),
        )
        .join('\n'),
    );
    fs.writeFileSync(profilesFile, profiles.map((p) => JSON.stringify(p)).join('\n'));
    const s0 = Date.now();
    const simulated = await runSimulate(oracleDir, eventsFile, profilesFile, path.join(tmp, 'simulated.json'));
    log(
      `nudge simulate: ${simulated.length} decisions (${simulated.filter((d) => d.outcome === 'sent').length} sends) in ${((Date.now() - s0) / 1000).toFixed(1)} s`,
    );

    const quiet = await waitQuiet({
      stack,
      db,
      provider,
      expectedDecisions: requiredDecisions(simulated),
      quietMs: opts['quiet-seconds'] * 1000,
    });
    log(quiet.settled ? 'the stack is quiet' : `gave up waiting for quiet (${quiet.why}): ${JSON.stringify(quiet.state)}`);

    const decisions = (await db.query(`SELECT user_id, campaign_id, trigger_event_id, step_id, outcome FROM decisions`)).rows;
    const messages = (await db.query(`SELECT campaign_id, trigger_event_id, step_id, status, status_history FROM messages`)).rows;
    const counts = await provider.counts();
    const verdict = chaosVerdict({ simulated, decisions, messages, providerSends: counts.sends });
    log(
      `provider: ${counts.created} messages taken, ${counts.refused} calls refused, ${counts.timedOut} answered too late, ${counts.unmarked} without a marker`,
    );
    for (const line of verdictDetails(verdict)) log(line);
    const selfExits = Object.entries(stack.state.selfExits);
    if (selfExits.length)
      log(`services that exited on their own and were restarted: ${selfExits.map(([name, n]) => `${name}×${n}`).join(' ')}`);
    await stack.cleanup({ showServiceOutput: !verdict.passed });
    log(`done in ${Math.round((Date.now() - started) / 1000)} s; seed ${opts.seed}`);
    console.log(summaryLine({ events: events.length, verdict, faults: describeFaults(done, stack.instances) }));
    return verdict.passed && counts.unmarked === 0;
  } catch (error) {
    return failedRun('chaos', stack, error);
  }
}

runScript('chaos', parseFlags, main);
