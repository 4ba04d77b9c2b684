// The peers `npm run bench` measures Nudge against, on the same broker and database in the
// same run (issue 14): a raw kafkajs 2-hop pipeline (produce → consume → re-produce → consume)
// and graphile-worker delayed no-op jobs; and the table of ratios printed at the end.
// The peers' processes are scripts/bench-peer-child.mjs; everything they create lives under
// the bench's topic prefix (topics, consumer groups) or in its database (the graphile schema),
// so the bench's cleanup removes it.
import { fork } from 'node:child_process';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const require = createRequire(path.join(here, '..', 'package.json'));
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** The schema graphile-worker gets in the bench's database. */
export const GRAPHILE_SCHEMA = 'graphile_worker_bench';

/** Linear-interpolated percentile of sorted numbers, as Postgres' percentile_cont. */
export function percentile(sorted, p) {
  if (!sorted.length) return NaN;
  const at = p * (sorted.length - 1);
  const lo = Math.floor(at);
  const hi = Math.ceil(at);
  return sorted[lo] + (sorted[hi] - sorted[lo]) * (at - lo);
}

export function latencySummary(values) {
  const sorted = Float64Array.from(values).sort();
  return {
    n: sorted.length,
    p50: percentile(sorted, 0.5),
    p95: percentile(sorted, 0.95),
    p99: percentile(sorted, 0.99),
    max: sorted.length ? sorted[sorted.length - 1] : NaN,
    min: sorted.length ? sorted[0] : NaN,
  };
}

/**
 * A peer process (scripts/bench-peer-child.mjs `role`), its CPU counted as `name` by the bench
 * (`track`). `next(type, timeoutMs)` resolves with its next message of that type.
 */
function startChild(ctx, name, role, settings) {
  const child = fork(path.join(here, 'bench-peer-child.mjs'), [role, JSON.stringify(settings)], {
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    env: { ...process.env, KAFKAJS_NO_PARTITIONER_WARNING: '1' },
  });
  ctx.track(name, child.pid);
  const queue = [];
  const waiters = [];
  let exited = null;
  child.on('message', (message) => {
    const i = waiters.findIndex((w) => w.type === message?.type);
    if (i >= 0) waiters.splice(i, 1)[0].resolve(message);
    else queue.push(message);
  });
  child.on('exit', (code, signal) => {
    exited = new Error(`the ${name} peer process exited (${signal ?? `code ${code}`})`);
    for (const w of waiters.splice(0)) w.reject(exited);
  });
  return {
    child,
    send: (message) => child.send(message),
    next(type, timeoutMs, what) {
      const i = queue.findIndex((m) => m?.type === type);
      if (i >= 0) return Promise.resolve(queue.splice(i, 1)[0]);
      if (exited) return Promise.reject(exited);
      return new Promise((resolve, reject) => {
        const waiter = { type, resolve, reject };
        const timer = setTimeout(() => {
          waiters.splice(waiters.indexOf(waiter), 1);
          reject(new Error(`timed out after ${timeoutMs / 1000} s waiting for ${what}`));
        }, timeoutMs);
        waiter.resolve = (m) => (clearTimeout(timer), resolve(m));
        waiter.reject = (e) => (clearTimeout(timer), reject(e));
        waiters.push(waiter);
      });
    },
    async stop() {
      if (child.exitCode === null && child.signalCode === null) {
        const gone = new Promise((resolve) => child.once('exit', resolve));
        child.send({ type: 'stop' });
        const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
        await gone;
        clearTimeout(timer);
      }
      ctx.untrack(name);
    },
  };
}

/** Waits for `promise` while checking every 250 ms that the bench was not interrupted. */
async function watched(ctx, promise) {
  let settled = false;
  const p = promise.finally(() => (settled = true));
  for (let i = 0; i < 1e7 && !settled; i++) {
    ctx.assertAlive();
    await Promise.race([p.catch(() => {}), sleep(250)]);
  }
  return p;
}

// ---------------------------------------------------------------------------
// The raw kafkajs 2-hop pipeline

/**
 * kafkajs' warnings to stderr, less the one Nudge's services drop too (libs/kafka/src/kafka-client.ts):
 * the idempotent producer's bounded retries.
 */
export const quietKafkaLog = () => (entry) => {
  if (entry.log.message.startsWith('Limiting retries for the idempotent producer')) return;
  console.error(`[kafkajs ${entry.namespace}] ${entry.log.message}`);
};

/**
 * Events as the e2e and paced phases post them (same JSON bodies, keyed by userId), produced
 * in `batchSize` records per send, `inFlight` sends at a time, the same producer settings
 * as Nudge's services.
 */
function pipelineEvents(ctx, name, from, to, timestamp) {
  const messages = [];
  for (let n = from; n < to; n++) {
    const event = { userId: ctx.userId(n % ctx.opts.users), name, timestamp, properties: { n } };
    messages.push({ key: event.userId, value: JSON.stringify(event) });
  }
  return messages;
}

export async function phasePipeline(ctx) {
  const { opts, log } = ctx;
  const { Kafka, Partitioners, logLevel } = require('kafkajs');
  const prefix = ctx.topicPrefix;
  const hop1 = `${prefix}peer.hop1`;
  const hop2 = `${prefix}peer.hop2`;
  const kafka = new Kafka({
    clientId: 'bench-peer-load',
    brokers: ctx.brokers.split(','),
    logLevel: logLevel.WARN,
    logCreator: quietKafkaLog,
  });
  const admin = kafka.admin();
  await admin.connect();
  try {
    await admin.createTopics({
      topics: [hop1, hop2].map((topic) => ({ topic, numPartitions: 6, replicationFactor: -1 })),
      waitForLeaders: true,
    });
  } finally {
    await admin.disconnect();
  }
  log(`peer pipeline: topics ${hop1} → ${hop2} (6 partitions each); relay and sink processes, Nudge's producer settings`);
  const common = { brokers: ctx.brokers, groupPrefix: `${prefix}peer-` };
  const relay = startChild(ctx, 'pipeline relay', 'relay', { ...common, from: hop1, to: hop2 });
  const sink = startChild(ctx, 'pipeline sink', 'sink', { ...common, from: hop2 });
  const producer = kafka.producer({
    idempotent: true,
    maxInFlightRequests: 1,
    createPartitioner: Partitioners.DefaultPartitioner,
    allowAutoTopicCreation: false,
  });
  const send = (messages) => producer.send({ topic: hop1, acks: -1, messages });
  try {
    await producer.connect();
    await Promise.all([
      relay.next('joined', 60_000, 'the pipeline relay to join its group'),
      sink.next('joined', 60_000, 'the pipeline sink to join its group'),
    ]);
    const warmN = Math.min(200, opts.users);
    sink.send({ type: 'expect', name: 'bench_warm', count: warmN });
    await send(pipelineEvents(ctx, 'bench_warm', 0, warmN, new Date().toISOString()));
    await watched(ctx, sink.next('done', 60_000, 'the pipeline warm-up'));

    // Full load: as the e2e phase, batches of 500, 4 in flight.
    const N = opts.events;
    const batchSize = 500;
    log(`peer pipeline: ${N} events as fast as it takes them, batches of 500, 4 in flight`);
    sink.send({ type: 'expect', name: 'bench_trigger', count: N });
    const cpu0 = ctx.cpuSnapshot();
    const t0 = Date.now();
    let next = 0;
    const worker = async () => {
      while (next < N) {
        ctx.assertAlive();
        const from = next;
        next = Math.min(N, next + batchSize);
        await send(pipelineEvents(ctx, 'bench_trigger', from, next, new Date().toISOString()));
      }
    };
    await Promise.all(Array.from({ length: 4 }, worker));
    const produced = Date.now() - t0;
    const full = await watched(ctx, sink.next('done', 300_000, `${N} events through the pipeline`));
    const cpu = ctx.cpuBetween(cpu0, ctx.cpuSnapshot());
    const wall = full.last - t0;
    const fullLatency = latencySummary(full.latencies);
    const rate = N / (wall / 1000);
    log(
      `peer pipeline: ${N} events produced in ${(produced / 1000).toFixed(1)} s, all through hop 2 in ${(wall / 1000).toFixed(1)} s → ${Math.round(rate)} events/s; ` +
        `produce→hop-2 p50 ${Math.round(fullLatency.p50)} ms p99 ${Math.round(fullLatency.p99)} ms max ${Math.round(fullLatency.max)} ms`,
    );
    ctx.describeCpu('peer pipeline', cpu);

    // Paced: the paced phase's rate and length, batches of 50 on the same schedule.
    const total = opts.rate * opts.seconds;
    const pacedBatch = Math.min(50, opts.rate);
    const intervalMs = (1000 * pacedBatch) / opts.rate;
    const batches = Math.ceil(total / pacedBatch);
    log(`peer pipeline: paced, ${opts.rate} events/s for ${opts.seconds} s (batches of ${pacedBatch})`);
    sink.send({ type: 'expect', name: 'bench_paced', count: total });
    const inFlight = new Set();
    let firstError = null;
    const p0 = performance.now();
    for (let b = 0; b < batches; b++) {
      ctx.assertAlive();
      if (firstError) throw firstError;
      const wait = p0 + b * intervalMs - performance.now();
      if (wait > 1) await sleep(wait);
      while (inFlight.size >= 64) await Promise.race(inFlight);
      const p = send(pipelineEvents(ctx, 'bench_paced', b * pacedBatch, Math.min(total, (b + 1) * pacedBatch), new Date().toISOString()))
        .catch((error) => (firstError ??= error))
        .finally(() => inFlight.delete(p));
      inFlight.add(p);
    }
    await Promise.all(inFlight);
    if (firstError) throw firstError;
    const paced = await watched(ctx, sink.next('done', 120_000, `${total} paced events through the pipeline`));
    const pacedLatency = latencySummary(paced.latencies);
    log(
      `peer pipeline: paced ${total} events, produce→hop-2 p50 ${Math.round(pacedLatency.p50)} ms p95 ${Math.round(pacedLatency.p95)} ms ` +
        `p99 ${Math.round(pacedLatency.p99)} ms max ${Math.round(pacedLatency.max)} ms`,
    );
    return { N, wall, rate, latency: fullLatency, cpu, paced: { rate: opts.rate, seconds: opts.seconds, total, latency: pacedLatency } };
  } finally {
    await producer.disconnect().catch(() => {});
    await Promise.all([relay.stop(), sink.stop()]);
  }
}

// ---------------------------------------------------------------------------
// graphile-worker delayed no-op jobs

const jobSpecs = (schema, runAtExpr) =>
  `ARRAY(SELECT ROW('bench_noop', json_build_object('userId', 'bench-u' || (g % $3)), NULL, ${runAtExpr},
                    NULL, NULL, NULL, NULL)::${schema}.job_spec
         FROM generate_series($1::int, $2::int) AS g)`;

/**
 * `--timers` jobs due over 10 s starting 5 s after insert, with `--pending` jobs due in 30
 * days alongside: the timer phase's demand, its schedule computed the same way.
 */
export async function phaseGraphile(ctx) {
  const { opts, log, q } = ctx;
  const T = opts.timers;
  const P = opts.pending;
  const windowS = 10;
  const schema = GRAPHILE_SCHEMA;
  const settings = {
    dbUrl: ctx.dbUrl,
    schema,
    concurrency: opts['graphile-concurrency'],
    localQueue: opts['graphile-local-queue'],
    pollInterval: opts['graphile-poll-ms'],
    completeJobBatchDelay: opts['graphile-complete-delay-ms'],
    expect: T,
  };
  log(
    `peer graphile-worker: ${P} jobs pending in 30 days, then ${T} no-op jobs due over ${windowS} s starting 5 s after insert ` +
      `(schema ${schema}; concurrency ${settings.concurrency}, local queue ${settings.localQueue}, poll ${settings.pollInterval} ms, ` +
      `completeJobBatchDelay ${settings.completeJobBatchDelay} ms)`,
  );
  const worker = startChild(ctx, 'graphile-worker', 'graphile', settings);
  try {
    await watched(ctx, worker.next('joined', 120_000, 'graphile-worker to migrate its schema and start'));
    let t = Date.now();
    const chunk = 100_000;
    for (let from = 1; from <= P; from += chunk) {
      ctx.assertAlive();
      await q(
        `SELECT count(*)::int AS n FROM ${schema}.add_jobs(${jobSpecs(schema, `now() + interval '30 days' + make_interval(secs => (g % 86400))`)})`,
        [from, Math.min(P, from + chunk - 1), opts.users],
      );
    }
    const pendingInsertMs = Date.now() - t;
    await q(`ANALYZE ${schema}._private_jobs`);
    log(`peer graphile-worker: inserted ${P} far-future jobs in ${(pendingInsertMs / 1000).toFixed(1)} s`);

    const cpu0 = ctx.cpuSnapshot();
    const base = new Date(Date.now() + 5_000);
    t = Date.now();
    await q(
      `SELECT count(*)::int AS n FROM ${schema}.add_jobs(${jobSpecs(schema, `$4::timestamptz + make_interval(secs => (g - 1) * $5::float8 / $2)`)})`,
      [1, T, opts.users, base.toISOString(), windowS],
    );
    const insertMs = Date.now() - t;
    // Fresh statistics, as a queue that has jobs coming due all the time has: with those of the
    // far-future jobs only, Postgres expects no job due now and answers graphile-worker's fetch
    // (its index leads with priority, not run_at) with a sequential scan of every job, ~0.6 s each.
    await q(`ANALYZE ${schema}._private_jobs`);
    log(
      `peer graphile-worker: inserted ${T} jobs due from ${base.toISOString()} in ${(insertMs / 1000).toFixed(1)} s` +
        (insertMs > 5_000 ? ' (longer than the 5 s lead: the first ones are late from the start)' : ''),
    );
    const done = await watched(ctx, worker.next('done', 5_000 + windowS * 1000 + 300_000, `${T} graphile-worker jobs to run`));
    // Until the last of them is completed (deleted), as the timer phase waits for its rows to leave.
    const windowEnd = new Date(base.getTime() + windowS * 1000 + 1_000).toISOString();
    const deadline = Date.now() + 60_000;
    for (;;) {
      ctx.assertAlive();
      const [{ left }] = await q(`SELECT EXISTS (SELECT 1 FROM ${schema}._private_jobs WHERE run_at <= $1::timestamptz) AS left`, [
        windowEnd,
      ]);
      if (!left) break;
      if (Date.now() > deadline) throw new Error('graphile-worker ran its jobs but did not complete them within 60 s');
      await sleep(100);
    }
    const cpu = ctx.cpuBetween(cpu0, ctx.cpuSnapshot());
    const [{ pending }] = await q(`SELECT count(*)::int AS pending FROM ${schema}._private_jobs`);
    const span = done.last - done.first;
    const lateness = latencySummary(done.latencies);
    const result = { T, P, pendingInsertMs, insertMs, span, rate: span > 0 ? T / (span / 1000) : NaN, lateness, pending, cpu, settings };
    log(
      `peer graphile-worker: ${lateness.n} jobs ran over ${(span / 1000).toFixed(1)} s → ${Math.round(result.rate)} jobs/s (due at ${Math.round(T / windowS)}/s); ` +
        `lateness p50 ${Math.round(lateness.p50)} ms p99 ${Math.round(lateness.p99)} ms max ${Math.round(lateness.max)} ms; ${pending} still pending (the far-future ones)`,
    );
    ctx.describeCpu('peer graphile-worker', cpu);
    return result;
  } finally {
    await worker.stop();
  }
}

// ---------------------------------------------------------------------------
// The ratios

/** Which CPU group of the bench counts as which process in the per-message table. */
export function cpuProcess(group) {
  if (group.startsWith('bench') || group === 'postgres (bench queries)') return 'bench/load';
  if (group === 'postgres (services)') return 'postgres';
  if (group.startsWith('pipeline ')) return group.slice('pipeline '.length);
  if (['other processes', 'postgres (other dbs)'].includes(group)) return null; // not this run's
  return group;
}

/** CPU-ms per message of each process over a phase (`cpu.ms` per group), and their sum. */
export function cpuPerMessage(cpu, messages) {
  if (!cpu?.ms || !messages) return null;
  const per = {};
  for (const [group, ms] of Object.entries(cpu.ms)) {
    const proc = cpuProcess(group);
    if (proc) per[proc] = (per[proc] ?? 0) + ms / messages;
  }
  const total = Object.entries(per)
    .filter(([proc]) => proc !== 'kernel irq/softirq/steal')
    .reduce((sum, [, v]) => sum + v, 0);
  return { per, total };
}

const fmt = (v, digits = 0) =>
  Number.isFinite(v) ? v.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits }) : 'n/a';
const verdict = (ok) => (ok === null ? '(not measured)' : ok ? 'MET' : 'NOT MET');

/**
 * The table of ratios: Nudge's figures against the peers' of the same run, each line with its
 * goal and whether it is met. `r` holds the bench's results (e2e, paced, timers, pipeline, graphile).
 */
export function ratioLines(r) {
  const lines = [];
  const row = (what, value, goal, ok) => lines.push(`${what.padEnd(44)} ${value.padEnd(44)} goal ${goal.padEnd(28)} ${verdict(ok)}`);
  const have = (...xs) => xs.every((x) => x !== undefined && x !== null);

  if (have(r.e2e, r.pipeline)) {
    const ratio = r.e2e.rate / r.pipeline.rate;
    row('throughput e2e ÷ pipeline', `${fmt(r.e2e.rate)} ÷ ${fmt(r.pipeline.rate)} events/s = ${fmt(ratio, 2)}×`, '≥ 0.5×', ratio >= 0.5);
  } else row('throughput e2e ÷ pipeline', 'n/a', '≥ 0.5×', null);

  if (have(r.paced)) {
    const p99 = r.paced.latency.p99;
    const peer = r.pipeline?.paced?.latency.p99;
    const label = `paced p99 at ${fmt(r.paced.rate)}/s vs pipeline's`;
    if (have(peer)) row(label, `${fmt(p99)} ms vs ${fmt(peer)} ms`, "≤ the pipeline's", p99 <= peer);
    else row(label, `${fmt(p99)} ms vs n/a`, "≤ the pipeline's", null);
    row(`paced p99 at ${fmt(r.paced.rate)}/s vs 100 ms`, `${fmt(p99)} ms`, '≤ 100 ms', p99 <= 100);
  } else row('paced p99', 'n/a', '≤ 100 ms and ≤ the pipeline', null);

  if (have(r.timers, r.graphile)) {
    const ratio = r.timers.rate / r.graphile.rate;
    // Both are paced by the same due rate: when Nudge fires at it (within 1 %), neither can be faster.
    const keptUp = r.timers.rate >= 0.99 * r.timers.offered;
    row(
      'timers firings/s ÷ graphile jobs/s',
      `${fmt(r.timers.rate)} ÷ ${fmt(r.graphile.rate)} = ${fmt(ratio, 2)}×${keptUp && ratio < 1 ? ' (Nudge at the due rate)' : ''}`,
      `≥ 1.0× (due ${fmt(r.timers.offered)}/s)`,
      ratio >= 1 || keptUp,
    );
    const late = r.timers.p99;
    const peer = r.graphile.lateness.p99;
    row("timers lateness p99 vs graphile's", `${fmt(late)} ms vs ${fmt(peer)} ms`, "≤ graphile's", late <= peer);
  } else row('timers ÷ graphile', 'n/a', '≥ 1.0×, lateness ≤ peer', null);

  const nudgeCpu = r.e2e && cpuPerMessage(r.e2e.cpu, r.e2e.N);
  const peerCpu = r.pipeline && cpuPerMessage(r.pipeline.cpu, r.pipeline.N);
  if (nudgeCpu && peerCpu) {
    const ratio = nudgeCpu.total / peerCpu.total;
    row(
      'CPU per message e2e ÷ pipeline',
      `${fmt(nudgeCpu.total, 3)} ÷ ${fmt(peerCpu.total, 3)} ms = ${fmt(ratio, 1)}×`,
      '≤ 3×',
      ratio <= 3,
    );
  } else row('CPU per message e2e ÷ pipeline', 'n/a', '≤ 3×', null);
  const cpuLine = (label, c) => {
    if (!c) return;
    const parts = Object.entries(c.per)
      .filter(([, v]) => v >= 0.0005)
      .sort((x, y) => y[1] - x[1])
      .map(([proc, v]) => `${proc} ${fmt(v, 3)}`);
    lines.push(`  ${label.padEnd(42)} ${fmt(c.total, 3)} ms (${parts.join(', ')})`);
  };
  // The phases run one after the other: another session's work in one of them and not in the other skews its ratio.
  const foreign = (cpu) => (cpu ? (cpu.perGroup['other processes'] ?? 0) + (cpu.perGroup['postgres (other dbs)'] ?? 0) : 0);
  const busy = [
    ['e2e', r.e2e],
    ['paced', r.paced],
    ['timers', r.timers],
    ['pipeline', r.pipeline],
    ['graphile', r.graphile],
  ]
    .filter(([, x]) => x && foreign(x.cpu) >= 15)
    .map(([name, x]) => `${name} ${Math.round(foreign(x.cpu))}%`);
  if (busy.length)
    lines.push(`! other work on this machine took (% of a core) ${busy.join(', ')}: a ratio whose two phases differ in that is skewed`);
  if (nudgeCpu || peerCpu) lines.push('CPU-ms per delivered message, per process (total excludes kernel irq/softirq):');
  cpuLine('Nudge e2e', nudgeCpu);
  cpuLine('pipeline (full load)', peerCpu);
  return lines;
}
