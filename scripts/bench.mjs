#!/usr/bin/env node
// `npm run bench`: figures, not tests. Builds the code, starts the three services against a
// fresh Postgres database and an isolated set of Kafka topics on this machine, and measures
//   1. end-to-end throughput (HTTP batches → ingest → rules → dispatch → sandbox `delivered`),
//   2. trigger→sent latency at a paced load,
//   3. durable timers: firing rate and lateness with many far-future timers pending;
// then, on the same broker and database, its peers (scripts/bench-peers.mjs): a raw kafkajs
// 2-hop pipeline at the same loads, and graphile-worker delayed jobs at the timers' demand,
// and prints Nudge's figures as ratios of theirs, CPU per message included.
// Everything it creates (database, topics, consumer groups, temp dir, processes and, when it
// started it, the Kafka broker) is removed at the end, also on failure or Ctrl-C (scripts/local-stack.mjs).
// Node built-ins plus the repo's own `pg` and `kafkajs`; every loop is bounded in count and time.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { localStack, root, SERVICES, withTimeout } from './local-stack.mjs';
import { phaseGraphile, phasePipeline, ratioLines } from './bench-peers.mjs';
import { readFlags } from './script-flags.mjs';

const require = createRequire(path.join(root, 'package.json'));
const log = (line) => console.log(`[bench] ${line}`);
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

// ---------------------------------------------------------------------------
// Flags

const FLAGS = {
  events: { value: 20_000, max: 2_000_000, help: 'phase 1: events posted as fast as ingest takes them' },
  users: { value: 1_000, max: 200_000, help: 'bench users (profiles with an SMS address), shared by all phases' },
  rate: {
    value: 'half',
    max: 100_000,
    help: "phase 2: paced load in events/s (batches of 50); 'half' = half of phase 1's rate (2500 without phase 1)",
  },
  seconds: { value: 10, max: 600, help: 'phase 2: how long the paced load lasts' },
  timers: { value: 100_000, max: 5_000_000, help: 'phase 3: timers due over a 10 s window starting 5 s after insert' },
  pending: { value: 1_000_000, max: 50_000_000, help: 'phase 3: far-future timers (due in 30 days) pending alongside' },
  'ingest-port': { value: 3100, max: 65_535, help: 'ingest HTTP port' },
  'rules-port': { value: 3101, max: 65_535, help: 'rules HTTP port' },
  'dispatch-port': { value: 3102, max: 65_535, help: 'dispatch HTTP port' },
  replicas: { value: 1, max: 8, help: 'instances of rules and of dispatch (localStack `replicas`)' },
  'graphile-concurrency': { value: 4, max: 256, help: 'peer graphile: jobs run at once by its worker pool' },
  'graphile-local-queue': { value: 1_000, min: 0, max: 100_000, help: 'peer graphile: jobs fetched per query (localQueue.size; < 2 off)' },
  'graphile-poll-ms': { value: 20, max: 60_000, help: 'peer graphile: pollInterval for jobs coming due' },
  'graphile-complete-delay-ms': { value: 0, min: -1, max: 10_000, help: 'peer graphile: completeJobBatchDelay (-1 off)' },
};
// Nudge's phases, then its peers on the same broker and database (see main()).
const PHASES = ['e2e', 'paced', 'timers', 'segment', 'pipeline', 'graphile'];

function usage() {
  const lines = [
    'usage: node scripts/bench.mjs [--flag value ...]',
    '',
    ...Object.entries(FLAGS).map(([name, f]) => `  --${name.padEnd(26)} ${String(f.value).padStart(8)}  ${f.help}`),
    `  --${'phases'.padEnd(26)} ${'all'.padStart(8)}  comma-separated subset of ${PHASES.join(',')}`,
    `  --${'help'.padEnd(26)} ${''.padStart(8)}  this text`,
    '',
    'quick try: node scripts/bench.mjs --events 2000 --rate 500 --seconds 3 --timers 5000 --pending 10000',
  ];
  return lines.join('\n');
}

function parseFlags(argv) {
  const opts = readFlags(argv, FLAGS, usage, { phases: readPhases, rate: readRate });
  opts.phases ??= new Set(PHASES);
  return opts;
}

/** `half` (the issue's "half load": half of what phase 1 measured), or events/s. */
function readRate(value) {
  if (value === 'half') return value;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1 || n > FLAGS.rate.max)
    throw new Error(`--rate must be 'half' or an integer in 1..${FLAGS.rate.max} (got ${value})`);
  return n;
}

/** The paced rate: `--rate`, or half of phase 1's measured rate (a multiple of 50, at least 50). */
function pacedRate(opts) {
  if (opts.rate !== 'half') return opts.rate;
  if (!results.e2e) {
    log('phase 2: --rate half without phase 1 to halve: pacing at 2500 events/s');
    return 2_500;
  }
  const rate = Math.max(50, Math.floor(results.e2e.rate / 2 / 50) * 50);
  log(`phase 2: half load = half of phase 1's ${int(results.e2e.rate)} events/s → ${rate} events/s`);
  return rate;
}

function readPhases(value) {
  const list = value
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  const bad = list.filter((p) => !PHASES.includes(p));
  if (bad.length || !list.length) throw new Error(`--phases: unknown ${bad.join(', ') || '(empty)'}; known: ${PHASES.join(', ')}`);
  return new Set(list);
}

// ---------------------------------------------------------------------------
// The stack (scripts/local-stack.mjs): processes, database, topics, cleanup

/** Made in main(), once the flags give the ports. */
let stack = null;
/** The bench's own database client. */
let db = null;

function assertAlive() {
  stack?.assertAlive();
}

// ---------------------------------------------------------------------------
// HTTP, SQL and timing helpers

const apiHeaders = { 'content-type': 'application/json' };
if (process.env.NUDGE_API_KEY) apiHeaders.authorization = `Bearer ${process.env.NUDGE_API_KEY}`;

async function call(method, url, body, expect) {
  const response = await fetch(url, {
    method,
    headers: apiHeaders,
    body: body === undefined ? undefined : JSON.stringify(body),
    signal: AbortSignal.timeout(60_000),
  });
  const text = await response.text();
  if (expect !== undefined && response.status !== expect) {
    throw new Error(`${method} ${url} answered ${response.status} (expected ${expect}): ${text.slice(0, 500)}`);
  }
  return { status: response.status, json: text ? JSON.parse(text) : null };
}

/** Runs `fn` over `items` with at most `concurrency` in flight. */
async function pool(items, concurrency, fn) {
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      assertAlive();
      const i = next++;
      await fn(items[i], i);
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, items.length) }, worker));
}

/** Polls `probe` every `everyMs` until it answers true; throws after `timeoutMs`. */
async function waitUntil(what, probe, timeoutMs, everyMs = 100) {
  const deadline = Date.now() + timeoutMs;
  for (let i = 0; ; i++) {
    assertAlive();
    if (await probe()) return;
    if (Date.now() > deadline) throw new Error(`timed out after ${Math.round(timeoutMs / 1000)} s waiting for ${what}`);
    await sleep(everyMs);
  }
}

async function q(sql, params) {
  return (await db.query(sql, params)).rows;
}

const countDelivered = async (campaignId) =>
  (await q(`SELECT count(*)::int AS n FROM messages WHERE campaign_id = $1 AND status = 'delivered'`, [campaignId]))[0].n;

/** Per-message latency figures (ms) of a campaign's messages, from what dispatch stored. */
async function latencyStats(campaignId) {
  const [row] = await q(
    `WITH m AS (
       SELECT (request->'scope'->'event'->>'timestamp')::timestamptz AS trigger_at,
              (request->>'decidedAt')::timestamptz AS decided_at,
              created_at AS queued_at,
              (SELECT (h->>'at')::timestamptz FROM jsonb_array_elements(status_history) WITH ORDINALITY AS x(h, i)
                WHERE h->>'status' = 'sent' ORDER BY i LIMIT 1) AS sent_at
       FROM messages WHERE campaign_id = $1),
     l AS (
       SELECT extract(epoch FROM sent_at - trigger_at) * 1000 AS total,
              extract(epoch FROM decided_at - trigger_at) * 1000 AS to_decided,
              extract(epoch FROM queued_at - decided_at) * 1000 AS to_queued,
              extract(epoch FROM sent_at - queued_at) * 1000 AS to_sent
       FROM m WHERE sent_at IS NOT NULL)
     SELECT count(*)::int AS n,
       percentile_cont(array[0.5, 0.95, 0.99]) WITHIN GROUP (ORDER BY total) AS total,
       max(total) AS total_max, min(total) AS total_min,
       percentile_cont(array[0.5, 0.99]) WITHIN GROUP (ORDER BY to_decided) AS to_decided,
       percentile_cont(array[0.5, 0.99]) WITHIN GROUP (ORDER BY to_queued) AS to_queued,
       percentile_cont(array[0.5, 0.99]) WITHIN GROUP (ORDER BY to_sent) AS to_sent
     FROM l`,
    [campaignId],
  );
  const [p50, p95, p99] = row.total ?? [NaN, NaN, NaN];
  return {
    n: row.n,
    p50,
    p95,
    p99,
    max: Number(row.total_max),
    min: Number(row.total_min),
    stages: { decided: row.to_decided, queued: row.to_queued, sent: row.to_sent },
  };
}

const ms = (v) => (Number.isFinite(Number(v)) ? `${Math.round(Number(v))} ms` : 'n/a');
const secs = (v) => `${(v / 1000).toFixed(1)} s`;
const int = (v) => String(Math.round(v));

function describeLatency(label, s) {
  log(
    `${label}: ${s.n} messages, trigger→sent p50 ${ms(s.p50)} p95 ${ms(s.p95)} p99 ${ms(s.p99)} max ${ms(s.max)} ` +
      `(stages p50/p99: event→decided ${ms(s.stages.decided?.[0])}/${ms(s.stages.decided?.[1])}, ` +
      `decided→queued ${ms(s.stages.queued?.[0])}/${ms(s.stages.queued?.[1])}, ` +
      `queued→sent ${ms(s.stages.sent?.[0])}/${ms(s.stages.sent?.[1])})`,
  );
}

// ---------------------------------------------------------------------------
// CPU accounting from /proc (Linux): per process group, averaged over a phase.

let clockTicks = 100;
let kafkaPid = null;
let benchBackendPid = null;
/** The peers' processes (scripts/bench-peers.mjs), name → pid, counted while they run. */
const peerPids = new Map();

/** A service's CPU group: its replicas (however local-stack names them) are summed under the service's name. */
const serviceGroup = (name) => SERVICES.map(([s]) => s).find((s) => name === s || name.startsWith(s)) ?? name;

function readProcStat(pid) {
  try {
    const text = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    const close = text.lastIndexOf(')');
    const comm = text.slice(text.indexOf('(') + 1, close);
    const fields = text.slice(close + 2).split(' ');
    // fields[0] is state (field 3); utime/stime are fields 14/15 → indexes 11/12.
    return { comm, ticks: Number(fields[11]) + Number(fields[12]) };
  } catch {
    return null;
  }
}

function readCmdline(pid) {
  try {
    return fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').replace(/\0/g, ' ');
  } catch {
    return '';
  }
}

function cpuSnapshot() {
  if (!fs.existsSync('/proc/stat')) return null;
  // Per process (pid → group, ticks): cpuBetween() counts a process that started in between
  // from zero and leaves out one that ended (its last ticks are unknown), so a group never
  // goes negative when others' processes come and go.
  const procs = new Map();
  const add = (pid, group, ticks) => procs.set(String(pid), { group, ticks });
  for (const [name, s] of stack.state.children) {
    const st = readProcStat(s.pid);
    if (st) add(s.pid, serviceGroup(name), st.ticks);
  }
  for (const [name, pid] of peerPids) {
    const st = readProcStat(pid);
    if (st) add(pid, name, st.ticks);
  }
  if (kafkaPid) {
    const st = readProcStat(kafkaPid);
    if (st) add(kafkaPid, 'kafka', st.ticks);
  }
  const dbName = stack.state.dbUrl ? new URL(stack.state.dbUrl).pathname.slice(1) : '\0';
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const st = readProcStat(entry);
    if (!st || st.comm !== 'postgres') continue;
    if (Number(entry) === benchBackendPid) {
      add(entry, 'postgres (bench queries)', st.ticks);
      continue;
    }
    const cmd = readCmdline(entry);
    add(entry, cmd.includes(` ${dbName} `) ? 'postgres (services)' : 'postgres (other dbs)', st.ticks);
  }
  const usage = process.cpuUsage();
  add('self', 'bench (this script)', ((usage.user + usage.system) / 1e6) * clockTicks);
  const cpu = fs.readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/).slice(1).map(Number);
  const total = cpu.reduce((a, b) => a + b, 0);
  const idle = cpu[3] + (cpu[4] ?? 0);
  // irq + softirq (loopback networking is mostly softirq) and steal belong to no process.
  const kernel = (cpu[5] ?? 0) + (cpu[6] ?? 0) + (cpu[7] ?? 0);
  return { at: Date.now(), procs, total, idle, kernel };
}

/** CPU of each group between two snapshots, in % of one core (the machine has os.cpus().length). */
function cpuBetween(a, b) {
  if (!a || !b) return null;
  const seconds = (b.at - a.at) / 1000;
  const out = {};
  /** CPU-ms of each group over the interval. */
  const cpuMs = {};
  for (const [pid, { group, ticks }] of b.procs) {
    const before = a.procs.get(pid);
    const used = ticks - (before?.group === group ? before.ticks : 0);
    out[group] = (out[group] ?? 0) + (used / clockTicks / seconds) * 100;
    cpuMs[group] = (cpuMs[group] ?? 0) + (used / clockTicks) * 1000;
  }
  const busy = 1 - (b.idle - a.idle) / Math.max(1, b.total - a.total);
  // Whatever ran that is none of the above (other sessions' builds or tests, the OS).
  const busyOneCore = ((b.total - a.total - (b.idle - a.idle)) / clockTicks / seconds) * 100;
  out['kernel irq/softirq/steal'] = ((b.kernel - a.kernel) / clockTicks / seconds) * 100;
  cpuMs['kernel irq/softirq/steal'] = ((b.kernel - a.kernel) / clockTicks) * 1000;
  const attributed = Object.values(out).reduce((x, y) => x + y, 0);
  out['other processes'] = Math.max(0, busyOneCore - attributed);
  return { perGroup: out, ms: cpuMs, seconds, machineBusy: busy * 100 };
}

function describeCpu(label, cpu) {
  if (!cpu) return;
  const parts = Object.entries(cpu.perGroup)
    .filter(([, v]) => v >= 0.5)
    .sort((x, y) => y[1] - x[1])
    .map(([g, v]) => `${g} ${Math.round(v)}%`);
  log(`${label} CPU (% of one core, ${os.cpus().length} cores): ${parts.join(', ')}; machine busy ${Math.round(cpu.machineBusy)}%`);
}

// ---------------------------------------------------------------------------
// Phases

const results = {};

/** What the peer phases (scripts/bench-peers.mjs) get from the bench. */
function peerContext(opts) {
  return {
    opts,
    log,
    q,
    userId,
    assertAlive,
    cpuSnapshot,
    cpuBetween,
    describeCpu,
    brokers: stack.state.kafka.brokers,
    topicPrefix: stack.state.topicPrefix,
    dbUrl: stack.state.dbUrl,
    track: (name, pid) => peerPids.set(name, pid),
    untrack: (name) => peerPids.delete(name),
  };
}

function eventsUrl(opts) {
  return `http://127.0.0.1:${opts['ingest-port']}/v1/events/batch`;
}

async function putCampaign(opts, id, event, extra = {}) {
  const body = {
    id,
    name: 'bench',
    category: 'transactional',
    trigger: { event },
    delay: 'PT0S',
    message: { channel: 'sms', body: 'Hi {{ profile.attributes.firstName }} #{{ event.properties.n }}' },
    ...extra,
  };
  const { json } = await call('PUT', `http://127.0.0.1:${opts['rules-port']}/v1/campaigns/${id}`, body, 200);
  return json;
}

const userId = (i) => `bench-u${i}`;

async function createUsers(opts) {
  const t0 = Date.now();
  const ids = Array.from({ length: opts.users }, (_, i) => i);
  await pool(ids, 20, (i) =>
    call(
      'PUT',
      `http://127.0.0.1:${opts['ingest-port']}/v1/users/${userId(i)}`,
      {
        attributes: { firstName: `U${i}` },
        channels: {
          // A valid Spanish mobile number (+34 6xx xxx xxx): dispatch validates numbers.
          sms: { address: `+346${String(10_000_000 + i).padStart(8, '0')}`, consent: { transactional: true, marketing: true } },
        },
      },
      200,
    ),
  );
  log(`created ${opts.users} users in ${secs(Date.now() - t0)}`);
}

async function postBatch(opts, events) {
  const { status, json } = await call('POST', eventsUrl(opts), { events });
  if (status !== 202) throw new Error(`POST /v1/events/batch answered ${status}: ${JSON.stringify(json).slice(0, 500)}`);
}

/** A few events through the whole pipeline first: consumers joined, code paths warm. */
async function warmUp(opts) {
  const t0 = Date.now();
  await putCampaign(opts, 'bench-warm', 'bench_warm');
  const n = Math.min(200, opts.users);
  const now = new Date().toISOString();
  await postBatch(
    opts,
    Array.from({ length: n }, (_, i) => ({ userId: userId(i), name: 'bench_warm', timestamp: now, properties: { n: i } })),
  );
  await waitUntil('the warm-up messages', async () => (await countDelivered('bench-warm')) >= n, 120_000, 100);
  log(`warm-up: ${n} events through the pipeline in ${secs(Date.now() - t0)}`);
}

async function phaseEndToEnd(opts) {
  const N = opts.events;
  log(`phase 1: end-to-end throughput, ${N} events in batches of 500, 4 in flight`);
  await putCampaign(opts, 'bench-now', 'bench_trigger');
  const batchSize = 500;
  const batches = Array.from({ length: Math.ceil(N / batchSize) }, (_, b) => b);
  const cpu0 = cpuSnapshot();
  const t0 = Date.now();
  await pool(batches, 4, async (b) => {
    const timestamp = new Date().toISOString();
    const events = [];
    for (let n = b * batchSize; n < Math.min(N, (b + 1) * batchSize); n++) {
      events.push({ userId: userId(n % opts.users), name: 'bench_trigger', timestamp, properties: { n } });
    }
    await postBatch(opts, events);
  });
  const posted = Date.now() - t0;
  log(`all ${N} events accepted by ingest in ${secs(posted)} (${int(N / (posted / 1000))} events/s into Kafka)`);
  let last = 0;
  let lastLog = Date.now();
  await waitUntil(
    `${N} delivered messages of bench-now`,
    async () => {
      last = await countDelivered('bench-now');
      if (Date.now() - lastLog > 5_000) {
        lastLog = Date.now();
        log(`  ${last}/${N} delivered after ${secs(Date.now() - t0)}`);
      }
      return last >= N;
    },
    300_000,
    100,
  );
  const wall = Date.now() - t0;
  const cpu = cpuBetween(cpu0, cpuSnapshot());
  const latency = await latencyStats('bench-now');
  results.e2e = { N, wall, posted, rate: N / (wall / 1000), latency, cpu };
  log(`phase 1: ${N} delivered in ${secs(wall)} → ${int(results.e2e.rate)} events/s end to end`);
  describeLatency('phase 1', latency);
  describeCpu('phase 1', cpu);
}

async function phasePaced(opts) {
  const total = opts.rate * opts.seconds;
  const batchSize = Math.min(50, opts.rate);
  const intervalMs = (1000 * batchSize) / opts.rate;
  const batches = Math.ceil(total / batchSize);
  log(
    `phase 2: paced load, ${opts.rate} events/s for ${opts.seconds} s: ${batches} batches of ${batchSize} every ${intervalMs.toFixed(1)} ms`,
  );
  await putCampaign(opts, 'bench-paced', 'bench_paced');
  const inFlight = new Set();
  const maxInFlight = 64;
  let late = 0;
  let worstLag = 0;
  let firstError = null;
  const cpu0 = cpuSnapshot();
  const t0 = performance.now();
  const wallStart = Date.now();
  for (let b = 0; b < batches; b++) {
    assertAlive();
    if (firstError) throw firstError;
    const target = t0 + b * intervalMs;
    const wait = target - performance.now();
    if (wait > 1) await sleep(wait);
    const lag = performance.now() - target;
    worstLag = Math.max(worstLag, lag);
    if (lag > intervalMs) late++;
    while (inFlight.size >= maxInFlight) await Promise.race(inFlight);
    const timestamp = new Date().toISOString();
    const events = [];
    for (let n = b * batchSize; n < Math.min(total, (b + 1) * batchSize); n++) {
      events.push({ userId: userId(n % opts.users), name: 'bench_paced', timestamp, properties: { n } });
    }
    const p = postBatch(opts, events)
      .catch((error) => (firstError ??= error))
      .finally(() => inFlight.delete(p));
    inFlight.add(p);
  }
  const sendSpan = performance.now() - t0;
  await withTimeout(Promise.all(inFlight), 120_000, 'the last paced batches');
  if (firstError) throw firstError;
  const offered = total / (sendSpan / 1000 + intervalMs / 1000);
  log(
    `phase 2: sent ${total} events in ${secs(sendSpan)} (offered ${int(offered)} events/s; ${late} batches more than one interval late, worst ${ms(worstLag)})`,
  );
  await waitUntil(`${total} delivered messages of bench-paced`, async () => (await countDelivered('bench-paced')) >= total, 120_000, 100);
  const drained = Date.now() - wallStart;
  const cpu = cpuBetween(cpu0, cpuSnapshot());
  const latency = await latencyStats('bench-paced');
  results.paced = { rate: opts.rate, seconds: opts.seconds, total, offered, drained, late, latency, cpu };
  log(`phase 2: all delivered ${secs(drained)} after the first batch`);
  describeLatency('phase 2', latency);
  describeCpu('phase 2', cpu);
}

async function phaseTimers(opts) {
  const T = opts.timers;
  const P = opts.pending;
  const windowS = 10;
  log(`phase 3: durable timers, ${P} pending in 30 days, then ${T} due over ${windowS} s starting 5 s after insert`);
  const campaign = await putCampaign(opts, 'bench-timer', 'bench_never');
  const version = campaign.version ?? 1;
  const envelope = (idExpr, userExpr, tsExpr) =>
    `jsonb_build_object('eventId', ${idExpr}, 'userId', ${userExpr}, 'name', 'bench_never',
       'timestamp', ${tsExpr}, 'receivedAt', ${tsExpr}, 'properties', jsonb_build_object('bench', true),
       'context', jsonb_build_object('source', 'bench'))`;
  const nowIso = new Date().toISOString();

  let t = Date.now();
  await q(
    `INSERT INTO pending_sends (send_id, user_id, campaign_id, campaign_version, trigger_event_id, step_id, due_at, trigger_event)
     SELECT 'far-' || g, 'bench-u' || (g % $2), 'bench-timer', $3, 'far-' || g, 'main',
            now() + interval '30 days' + make_interval(secs => (g % 86400)),
            ${envelope(`'far-' || g`, `'bench-u' || (g % $2)`, '$4::text')}
     FROM generate_series(1, $1::int) AS g`,
    [P, opts.users, version, nowIso],
  );
  const pendingInsertMs = Date.now() - t;
  log(`inserted ${P} far-future pending sends in ${secs(pendingInsertMs)}`);
  t = Date.now();
  await q('ANALYZE pending_sends');
  log(`ANALYZE pending_sends: ${secs(Date.now() - t)}`);

  await q(`CREATE TABLE bench_due (trigger_event_id text PRIMARY KEY, user_id text NOT NULL, due_at timestamptz NOT NULL)`);
  const cpu0 = cpuSnapshot();
  const base = new Date(Date.now() + 5_000);
  t = Date.now();
  await q(
    `WITH d AS (
       INSERT INTO bench_due (trigger_event_id, user_id, due_at)
       SELECT 'tmr-' || g, 'bench-u' || ((g - 1) % $2), $3::timestamptz + make_interval(secs => (g - 1) * $4::float8 / $1)
       FROM generate_series(1, $1::int) AS g
       RETURNING trigger_event_id, user_id, due_at)
     INSERT INTO pending_sends (send_id, user_id, campaign_id, campaign_version, trigger_event_id, step_id, due_at, trigger_event)
     SELECT 'snd-' || trigger_event_id, user_id, 'bench-timer', $5, trigger_event_id, 'main', due_at,
            ${envelope('trigger_event_id', 'user_id', '$6::text')}
     FROM d`,
    [T, opts.users, base.toISOString(), windowS, version, nowIso],
  );
  const timerInsertMs = Date.now() - t;
  log(
    `inserted ${T} timers due from ${base.toISOString()} in ${secs(timerInsertMs)}${timerInsertMs > 5_000 ? ' (longer than the 5 s lead: the first ones are late from the start)' : ''}`,
  );

  const decided = async () =>
    (
      await q(
        `SELECT count(*) FILTER (WHERE outcome = 'sent')::int AS sent, count(*)::int AS all
         FROM decisions WHERE campaign_id = 'bench-timer' AND trigger_event_id LIKE 'tmr-%'`,
      )
    )[0];
  // Cheap probe every 100 ms (the due_at index): a timer leaves pending_sends in the same
  // transaction that records its decision, so none left in the window means all decided.
  // Counting decisions (heavier, it grows with T) only every 5 s for progress.
  const windowEnd = new Date(base.getTime() + windowS * 1000 + 1_000).toISOString();
  let lastLog = Date.now();
  await waitUntil(
    `${T} 'sent' decisions of bench-timer`,
    async () => {
      const [{ left }] = await q(`SELECT EXISTS (SELECT 1 FROM pending_sends WHERE due_at <= $1::timestamptz) AS left`, [windowEnd]);
      if (Date.now() - lastLog > 5_000) {
        lastLog = Date.now();
        log(`  ${(await decided()).sent}/${T} timers fired`);
      }
      return !left;
    },
    5_000 + windowS * 1000 + 300_000,
    100,
  );
  const d = await decided();
  if (d.sent < T) throw new Error(`only ${d.sent} of ${T} timers were sent (${d.all} decided); the other outcomes were not 'sent'`);
  const cpu = cpuBetween(cpu0, cpuSnapshot());
  const [row] = await q(
    `SELECT count(*)::int AS n,
       percentile_cont(array[0.5, 0.99]) WITHIN GROUP (ORDER BY extract(epoch FROM d.at - b.due_at) * 1000) AS p,
       max(extract(epoch FROM d.at - b.due_at) * 1000) AS max,
       min(extract(epoch FROM d.at - b.due_at) * 1000) AS min,
       extract(epoch FROM max(d.at) - min(d.at)) * 1000 AS span
     FROM decisions d JOIN bench_due b USING (trigger_event_id)
     WHERE d.campaign_id = 'bench-timer' AND d.outcome = 'sent'`,
  );
  const [{ left }] = await q(`SELECT count(*)::int AS left FROM pending_sends WHERE campaign_id = 'bench-timer'`);
  const span = Number(row.span);
  results.timers = {
    T,
    P,
    pendingInsertMs,
    timerInsertMs,
    p50: row.p[0],
    p99: row.p[1],
    max: Number(row.max),
    min: Number(row.min),
    span,
    rate: span > 0 ? T / (span / 1000) : NaN,
    offered: T / windowS,
    left,
    cpu,
  };
  const r = results.timers;
  log(
    `phase 3: ${row.n} timers fired over ${secs(span)} → ${int(r.rate)} firings/s (due at ${int(r.offered)}/s); ` +
      `lateness p50 ${ms(r.p50)} p99 ${ms(r.p99)} max ${ms(r.max)} (min ${ms(r.min)}); ${left} still pending (the far-future ones)`,
  );
  describeCpu('phase 3', cpu);
}

/**
 * The Segment-compatible ingest against the native one (issue #15): the same events posted as
 * batches of 500 Segment `track` messages to /segment/v1/batch and as /v1/events/batch, 4 in
 * flight, rounds alternated so that neither gets the quieter moment. Counts requests answered
 * (accepted into Kafka), not end to end: no campaign triggers on `bench_segment`.
 */
async function phaseSegment(opts) {
  const N = opts.events;
  const batchSize = 500;
  log(`phase segment: ${N} events as /segment/v1/batch and as /v1/events/batch, batches of ${batchSize}, 4 in flight, 2 rounds each`);
  const library = { name: 'analytics-node-next', version: '3.1.0' };
  const bodyOf = (way, round, b) => {
    const timestamp = new Date().toISOString();
    const items = [];
    for (let n = b * batchSize; n < Math.min(N, (b + 1) * batchSize); n++) {
      const id = `bench-seg-${round}-${n}`;
      const user = userId(n % opts.users);
      items.push(
        way === 'segment'
          ? { type: 'track', event: 'bench_segment', userId: user, messageId: id, timestamp, properties: { n }, context: { library } }
          : { eventId: id, userId: user, name: 'bench_segment', timestamp, properties: { n }, context: { library } },
      );
    }
    return way === 'segment' ? { batch: items, sentAt: timestamp } : { events: items };
  };
  const ways = {
    native: { url: eventsUrl(opts), status: 202, ms: 0, events: 0 },
    segment: { url: `http://127.0.0.1:${opts['ingest-port']}/segment/v1/batch`, status: 200, ms: 0, events: 0 },
  };
  const batches = Array.from({ length: Math.ceil(N / batchSize) }, (_, b) => b);
  for (const [round, way] of ['native', 'segment', 'native', 'segment'].entries()) {
    const t0 = Date.now();
    await pool(batches, 4, (b) => call('POST', ways[way].url, bodyOf(way, round, b), ways[way].status));
    ways[way].ms += Date.now() - t0;
    ways[way].events += N;
    assertAlive();
  }
  const rate = (w) => w.events / (w.ms / 1000);
  results.segment = { N, batchSize, native: rate(ways.native), segment: rate(ways.segment) };
  log(
    `phase segment: /v1/events/batch ${int(results.segment.native)} events/s, /segment/v1/batch ${int(results.segment.segment)} events/s ` +
      `(segment ÷ native ${(results.segment.segment / results.segment.native).toFixed(2)})`,
  );
}

// ---------------------------------------------------------------------------

function summary(opts) {
  const cores = os.cpus().length;
  const lines = [`Nudge bench (${cores} cores, Kafka + Postgres + 3 services on this machine)`];
  const { e2e, paced, timers } = results;
  if (e2e) {
    lines.push(
      `end-to-end  ${`${e2e.N} events`.padEnd(13)} ${`${int(e2e.rate)} events/s`.padEnd(16)} ` +
        `trigger→sent p50 ${ms(e2e.latency.p50)}  p95 ${ms(e2e.latency.p95)}  p99 ${ms(e2e.latency.p99)}  max ${ms(e2e.latency.max)}` +
        `  (${secs(e2e.wall)} wall, ${opts.users} users)`,
    );
  }
  if (paced) {
    lines.push(
      `paced       ${`${paced.rate}/s x ${paced.seconds} s`.padEnd(13)} ${''.padEnd(16)} ` +
        `trigger→sent p50 ${ms(paced.latency.p50)}  p95 ${ms(paced.latency.p95)}  p99 ${ms(paced.latency.p99)}  max ${ms(paced.latency.max)}`,
    );
  }
  if (timers) {
    lines.push(
      `timers      ${timers.T} due, ${timers.P} pending   ${int(timers.rate)} firings/s  ` +
        `lateness p50 ${ms(timers.p50)}  p99 ${ms(timers.p99)}  max ${ms(timers.max)}  (${timers.P} pending inserted in ${secs(timers.pendingInsertMs)})`,
    );
  }
  const { segment } = results;
  if (segment) {
    lines.push(
      `segment     ${`${segment.N} events`.padEnd(13)} accepted: /v1/events/batch ${int(segment.native)} events/s, ` +
        `/segment/v1/batch ${int(segment.segment)} events/s (÷ ${(segment.segment / segment.native).toFixed(2)}; batches of ${segment.batchSize}, requests answered)`,
    );
  }
  const cpuLine = (label, cpu) => {
    if (!cpu) return;
    const top = Object.entries(cpu.perGroup)
      .filter(([, v]) => v >= 1)
      .sort((x, y) => y[1] - x[1])
      .map(([g, v]) => `${g} ${Math.round(v)}%`)
      .join(', ');
    lines.push(`  ${label.padEnd(10)}  ${top} (machine ${Math.round(cpu.machineBusy)}% busy)`);
    const foreign = cpu.perGroup['other processes'] + (cpu.perGroup['postgres (other dbs)'] ?? 0);
    if (foreign >= 15)
      lines.push(
        `  ${''.padEnd(10)}  ! other work on this machine took ${Math.round(foreign)}% of a core: this phase's figures are pessimistic`,
      );
  };
  if (e2e?.cpu || paced?.cpu || timers?.cpu) lines.push(`cpu per phase, % of one core (${cores * 100}% = all ${cores} cores):`);
  cpuLine('end-to-end', e2e?.cpu);
  cpuLine('paced', paced?.cpu);
  cpuLine('timers', timers?.cpu);
  const { pipeline, graphile } = results;
  if (pipeline || graphile) lines.push('', 'peers, same broker and database, same run:');
  if (pipeline) {
    lines.push(
      `pipeline    ${`${pipeline.N} events`.padEnd(13)} ${`${int(pipeline.rate)} events/s`.padEnd(16)} ` +
        `produce→hop 2 p50 ${ms(pipeline.latency.p50)}  p95 ${ms(pipeline.latency.p95)}  p99 ${ms(pipeline.latency.p99)}  max ${ms(pipeline.latency.max)}` +
        `  (raw kafkajs, 2 hops)`,
      `pipeline    ${`${pipeline.paced.rate}/s x ${pipeline.paced.seconds} s`.padEnd(13)} ${''.padEnd(16)} ` +
        `produce→hop 2 p50 ${ms(pipeline.paced.latency.p50)}  p95 ${ms(pipeline.paced.latency.p95)}  p99 ${ms(pipeline.paced.latency.p99)}  max ${ms(pipeline.paced.latency.max)}`,
    );
  }
  if (graphile) {
    lines.push(
      `graphile    ${graphile.T} due, ${graphile.P} pending   ${int(graphile.rate)} jobs/s  ` +
        `lateness p50 ${ms(graphile.lateness.p50)}  p99 ${ms(graphile.lateness.p99)}  max ${ms(graphile.lateness.max)}` +
        `  (graphile-worker, concurrency ${graphile.settings.concurrency}, local queue ${graphile.settings.localQueue}, poll ${graphile.settings.pollInterval} ms)`,
    );
  }
  if (pipeline?.cpu || graphile?.cpu) lines.push(`cpu per phase, % of one core:`);
  cpuLine('pipeline', pipeline?.cpu);
  cpuLine('graphile', graphile?.cpu);
  if (e2e || paced || timers || pipeline || graphile) {
    lines.push(
      '',
      `ratios (Nudge ÷ peer, this run${opts.replicas > 1 ? `, ${opts.replicas} replicas of rules and dispatch` : ''}):`,
      ...ratioLines(results),
    );
  }
  return lines.join('\n');
}

async function main(opts) {
  const started = Date.now();
  stack = localStack({
    label: 'bench',
    ports: { ingest: opts['ingest-port'], rules: opts['rules-port'], dispatch: opts['dispatch-port'] },
    // N instances of rules and of dispatch (their CPU is summed per service, serviceGroup).
    replicas: opts.replicas,
    // A bench may point providers at local fakes; production refuses a baseUrl off the provider's API.
    env: { NUDGE_ALLOW_PROVIDER_BASE_URL: '1' },
    // BENCH_CPU_PROFILE_DIR=/tmp/prof: each service writes a V8 CPU profile there when it stops.
    nodeArgs: (name) =>
      process.env.BENCH_CPU_PROFILE_DIR
        ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_CPU_PROFILE_DIR}`, `--cpu-prof-name=${name}.cpuprofile`]
        : [],
    onDatabase: async (dbUrl) => {
      const { Client } = require('pg');
      db = new Client({ connectionString: dbUrl, application_name: 'nudge-bench' });
      await db.connect();
      benchBackendPid = (await q('SELECT pg_backend_pid() AS pid'))[0].pid;
    },
    beforeDrop: async () => db?.end(),
    log,
  });
  await stack.start();

  try {
    clockTicks = Number(spawnSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).stdout.trim()) || 100;
  } catch {
    clockTicks = 100;
  }
  if (fs.existsSync('/proc')) {
    for (const entry of fs.readdirSync('/proc')) {
      if (/^\d+$/.test(entry) && readCmdline(entry).includes('kafka.Kafka')) {
        kafkaPid = entry;
        break;
      }
    }
  }

  await createUsers(opts);
  await warmUp(opts);
  if (opts.phases.has('e2e')) await phaseEndToEnd(opts);
  // The pipeline peer is paced at the same rate, so the rate is settled once here.
  opts.rate = pacedRate(opts);
  if (opts.phases.has('paced')) await phasePaced(opts);
  if (opts.phases.has('timers')) await phaseTimers(opts);
  if (opts.phases.has('segment')) await phaseSegment(opts);
  // The peers run after Nudge's phases, with Nudge's services stopped: their idle pollers and
  // consumers take nothing from the peers, Nudge's phases run on a fresh database as they
  // always have, and what the peers leave (a million graphile jobs) cannot slow Nudge down.
  if (opts.phases.has('pipeline') || opts.phases.has('graphile')) {
    for (const name of [...stack.state.children.keys()]) await stack.killService(name);
    log("Nudge's services stopped for the peer phases");
    if (opts.phases.has('pipeline')) results.pipeline = await phasePipeline(peerContext(opts));
    if (opts.phases.has('graphile')) results.graphile = await phaseGraphile(peerContext(opts));
  }

  await stack.cleanup({ showServiceOutput: false });
  console.log(`\n${summary(opts)}\n`);
  log(`done in ${secs(Date.now() - started)}`);
}

let parsed;
try {
  parsed = parseFlags(process.argv.slice(2));
} catch (error) {
  console.error(`[bench] ${error.message}`);
  process.exit(2);
}

main(parsed).then(
  () => process.exit(0),
  async (error) => {
    if (stack?.interrupted) {
      await stack.cleanup({ showServiceOutput: false });
      process.exit(130);
    }
    console.error(`[bench] failed: ${error.stack ?? error.message}`);
    if (Object.keys(results).length) console.error(`\npartial results:\n${summary(parsed)}`);
    await stack?.cleanup({ showServiceOutput: true });
    process.exit(1);
  },
);
