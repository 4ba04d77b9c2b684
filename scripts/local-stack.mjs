// The three services as built processes on this machine, for scripts that drive them from
// outside (`npm run fuzz`): builds the code, makes sure Kafka runs, creates a fresh Postgres
// database and topic prefix, spawns `services/*/dist/main.js` on the given ports and waits
// for their /health. `cleanup()` removes all of it (processes, database, topics, consumer
// groups, temp dir, and Kafka when this run started it), also on failure or Ctrl-C.
// `npm run chaos` also brings its own Kafka and Postgres (`kafka`, `postgresUrl`) and kills
// and restarts services on purpose (`killService`, `restartService`).
// `replicas: N` runs N instances each of rules and dispatch (`rules`, `rules-2`, …), as a
// deployment scaled out would: same environment, same consumer groups, a port each.
// Node built-ins plus the repo's own `pg` and `kafkajs`; every wait is bounded.
import { spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ensureDependencies } from './dependencies.mjs';

export const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(path.join(root, 'package.json'));
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

export const SERVICES = [
  ['ingest', 'INGEST_PORT'],
  ['rules', 'RULES_PORT'],
  ['dispatch', 'DISPATCH_PORT'],
];

/** The services that run as several instances with `replicas` (ingest stays one). */
export const REPLICATED = new Set(['rules', 'dispatch']);

/** The name of instance `i` (0-based) of a service: `rules`, `rules-2`, `rules-3`, … */
export function instanceName(service, i) {
  return i === 0 ? service : `${service}-${i + 1}`;
}

/** The service an instance name belongs to (`rules-2` → `rules`). */
export function serviceOf(name) {
  return name.replace(/-\d+$/, '');
}

/**
 * Every instance of a stack with `replicas`: `{ name, service, variable, port }`, in start
 * order. Instance i ≥ 1 listens on `ports[name]` when given, else on its service's port + 10·i;
 * two instances on one port are refused.
 */
export function stackInstances(ports, replicas = 1) {
  if (!Number.isInteger(replicas) || replicas < 1 || replicas > 8) throw new Error(`replicas must be 1 to 8, not ${replicas}`);
  const instances = SERVICES.flatMap(([service, variable]) =>
    Array.from({ length: REPLICATED.has(service) ? replicas : 1 }, (_, i) => {
      const name = instanceName(service, i);
      return { name, service, variable, port: ports[name] ?? ports[service] + 10 * i };
    }),
  );
  const byPort = new Map();
  for (const instance of instances) {
    const other = byPort.get(instance.port);
    if (other) throw new Error(`${instance.name} and ${other} would both listen on port ${instance.port}; give them other ports`);
    byPort.set(instance.port, instance.name);
  }
  return instances;
}

/** Whether something already listens on a loopback port. */
export function portAnswers(port) {
  return new Promise((resolve) => {
    const socket = net.connect({ host: '127.0.0.1', port });
    socket.setTimeout(1_000);
    socket.once('connect', () => (socket.destroy(), resolve(true)));
    socket.once('timeout', () => (socket.destroy(), resolve(false)));
    socket.once('error', () => resolve(false));
  });
}

function kill(child) {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve();
    const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
    child.once('exit', () => (clearTimeout(timer), resolve()));
    child.kill('SIGTERM');
  });
}

export async function withTimeout(promise, ms, what) {
  let timer;
  try {
    return await Promise.race([
      promise,
      new Promise((_, reject) => (timer = setTimeout(() => reject(new Error(`${what} took longer than ${ms / 1000} s`)), ms))),
    ]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * A stack named `label` (database `nudge_<label>_<run>`, topic prefix `<label>-<run>.`) on
 * `ports` ({ ingest, rules, dispatch }), the services run with `env` added to this process's
 * (or what `env()` returns, called once the code is built); an undefined value removes a variable.
 * Call `start()`, then `cleanup()` whatever happened; Ctrl-C cleans up too (twice forces).
 * Hooks: `nodeArgs(name)` adds node flags to a service; `onDatabase(url)` runs once the
 * database is migrated, before the services start; `beforeDrop()` once they stopped, before
 * the database is dropped (close your own clients there).
 * `kafka()` replaces the shared broker (`ensureKafka`) with the caller's own (`{ brokers, startedByUs, stop }`);
 * `postgresUrl` is the server the database is created on (default NUDGE_POSTGRES_URL, else 127.0.0.1:5432);
 * `afterCleanup()` runs last in every cleanup, Ctrl-C included (stop what the caller started there);
 * `supervise`: how many times a service that exits unasked is started again (counted in
 * `state.selfExits`) before its exit fails the run (default 0: the first exit does).
 * `replicas` (default 1): instances each of rules and dispatch (`stackInstances`); every
 * name below (`urls`, `killService`, `restartService`, `isHealthy`, `state.children`,
 * `nodeArgs`) is an instance's (`rules-2`); `instances` lists them all.
 */
export function localStack({
  label,
  ports,
  env: extraEnv = {},
  nodeArgs = () => [],
  onDatabase = async () => {},
  beforeDrop = async () => {},
  kafka = null,
  postgresUrl = null,
  afterCleanup = async () => {},
  supervise = 0,
  replicas = 1,
  log,
}) {
  const instances = stackInstances(ports, replicas);
  const instanceOf = new Map(instances.map((instance) => [instance.name, instance]));
  const runId = randomBytes(4).toString('hex');
  const state = {
    runId,
    children: new Map(), // name -> { child, pid, tail: string[] }
    dbUrl: null,
    dbCreated: false,
    kafka: null,
    topicPrefix: `${label}-${runId}.`,
    configDir: null,
    stopping: false,
    failed: null, // an Error when a service died
    selfExits: {}, // name -> times a service exited unasked and was restarted (`supervise`)
  };

  const urls = Object.fromEntries(instances.map(({ name, port }) => [name, `http://127.0.0.1:${port}`]));
  const portOf = (name) => {
    const instance = instanceOf.get(name);
    if (!instance) throw new Error(`no instance ${name} in this stack (${[...instanceOf.keys()].join(', ')})`);
    return instance.port;
  };

  function assertAlive() {
    if (state.failed) throw state.failed;
    if (state.stopping) throw new Error('interrupted');
  }

  async function waitUntil(what, probe, timeoutMs, everyMs = 100) {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      assertAlive();
      if (await probe()) return;
      if (Date.now() > deadline) throw new Error(`timed out after ${Math.round(timeoutMs / 1000)} s waiting for ${what}`);
      await sleep(everyMs);
    }
  }

  function startService(name, env) {
    const { service, variable, port } = instanceOf.get(name);
    const child = spawn(process.execPath, [...nodeArgs(name), path.join(root, 'services', service, 'dist', 'main.js')], {
      cwd: root,
      env: { ...env, [variable]: String(port) },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const entry = { child, pid: child.pid, tail: [], killedOnPurpose: false };
    state.children.set(name, entry);
    for (const stream of [child.stdout, child.stderr]) {
      let rest = '';
      stream.on('data', (chunk) => {
        const lines = (rest + chunk.toString()).split('\n');
        rest = lines.pop() ?? '';
        entry.tail.push(...lines.map((l) => (l.length > 2000 ? `${l.slice(0, 2000)}…` : l)));
        if (entry.tail.length > 60) entry.tail.splice(0, entry.tail.length - 60);
      });
    }
    child.on('exit', (code, signal) => {
      if (state.stopping || entry.killedOnPurpose) return;
      const how = signal ?? `code ${code}`;
      const exits = (state.selfExits[name] ?? 0) + 1;
      if (exits > supervise) {
        state.failed ??= new Error(`${name} exited (${how}) during the ${label}`);
        return;
      }
      // As a supervisor (systemd, Kubernetes) would: start it again after a second.
      state.selfExits[name] = exits;
      log(`${name} exited on its own (${how}); restarting it (${exits}/${supervise})`);
      setTimeout(() => {
        if (!state.stopping && state.children.get(name) === entry) startService(name, env);
      }, 1_000);
    });
  }

  /** The environment the services run with (after `start()`). */
  let serviceEnv = null;

  async function start() {
    ensureDependencies(root, log);
    const { ensureKafka } = await import('../deploy/kafka-local/kafka-local.mjs');
    state.kafka = kafka ? await kafka() : await ensureKafka({ log });
    log(`Kafka: ${state.kafka.brokers}${state.kafka.startedByUs ? ' (started for this run)' : ' (already running)'}`);

    log('building ...');
    const build = spawnSync(process.execPath, [require.resolve('typescript/bin/tsc'), '-b', 'tsconfig.build.json'], {
      cwd: root,
      stdio: 'inherit',
    });
    if (build.status !== 0) throw new Error('the build failed (see above)');

    for (const { name, service, port } of instances) {
      if (await portAnswers(port)) throw new Error(`port ${port} (${name}) is already taken; pick another with --${service}-port`);
    }
    const base =
      postgresUrl ?? process.env.NUDGE_POSTGRES_URL ?? process.env.BENCH_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
    const dbUrl = new URL(base);
    dbUrl.pathname = `/nudge_${label.replace(/[^a-z0-9]/gi, '_')}_${runId}`;
    state.dbUrl = dbUrl.toString();
    const { migrateDatabase } = require('./libs/persistence/dist/index.js');
    state.dbCreated = true; // from here on, drop it whatever happens (IF EXISTS)
    await migrateDatabase(state.dbUrl);
    log(`database ${dbUrl.pathname.slice(1)} created and migrated`);
    await onDatabase(state.dbUrl);

    state.configDir = fs.mkdtempSync(path.join(os.tmpdir(), `nudge-${label}-config-`));
    const merged = {
      ...process.env,
      KAFKAJS_NO_PARTITIONER_WARNING: '1',
      KAFKA_BROKERS: state.kafka.brokers,
      DATABASE_URL: state.dbUrl,
      NUDGE_TOPIC_PREFIX: state.topicPrefix,
      NUDGE_CONFIG_DIR: state.configDir,
      LOG_LEVEL: 'warn',
      ...Object.fromEntries(SERVICES.map(([name, variable]) => [variable, String(ports[name])])),
      ...(typeof extraEnv === 'function' ? extraEnv() : extraEnv),
    };
    // A variable given as undefined is taken out of the inherited environment.
    serviceEnv = Object.fromEntries(Object.entries(merged).filter(([, value]) => value !== undefined));
    for (const { name } of instances) startService(name, serviceEnv);
    const healthStart = Date.now();
    for (const { name } of instances) await waitHealthy(name, 90_000);
    log(
      `services healthy in ${((Date.now() - healthStart) / 1000).toFixed(1)} s (${instances.map((i) => `${i.name} :${i.port}`).join(', ')}; topic prefix ${state.topicPrefix})`,
    );
  }

  /** Whether a service answers GET /health with 200 (its Kafka and database are up). */
  async function isHealthy(name) {
    try {
      return (await fetch(`${urls[name]}/health`, { signal: AbortSignal.timeout(5_000) })).ok;
    } catch {
      return false;
    }
  }

  function waitHealthy(name, timeoutMs) {
    return waitUntil(`${name} to answer GET /health on :${portOf(name)}`, () => isHealthy(name), timeoutMs, 250);
  }

  /** `kill -9` of a service on purpose (its exit does not fail the run); resolves once it is gone. */
  async function killService(name) {
    const entry = state.children.get(name);
    if (!entry || entry.child.exitCode !== null || entry.child.signalCode !== null) return;
    entry.killedOnPurpose = true;
    await withTimeout(
      new Promise((resolve) => {
        entry.child.once('exit', resolve);
        entry.child.kill('SIGKILL');
      }),
      10_000,
      `${name} to exit after SIGKILL`,
    );
  }

  /** Whether a service answers GET /health at all (listening, if perhaps not yet connected). */
  async function isListening(name) {
    try {
      await fetch(`${urls[name]}/health`, { signal: AbortSignal.timeout(5_000) });
      return true;
    } catch {
      return false;
    }
  }

  /**
   * Starts a service again with the environment of `start()`; waits for its /health to say
   * 200, or with `{ healthy: false }` only for it to answer (a consumer rejoining its group
   * waits out the killed member's session first).
   */
  async function restartService(name, { healthy = true, timeoutMs = 120_000 } = {}) {
    portOf(name); // an unknown name fails here, not in the spawn
    startService(name, serviceEnv);
    if (healthy) await waitHealthy(name, timeoutMs);
    else await waitUntil(`${name} to answer on :${portOf(name)}`, () => isListening(name), timeoutMs, 250);
  }

  async function deleteTopics() {
    const { Kafka, logLevel } = require('kafkajs');
    const admin = new Kafka({ clientId: `nudge-${label}`, brokers: state.kafka.brokers.split(','), logLevel: logLevel.NOTHING }).admin();
    await admin.connect();
    try {
      const topics = (await admin.listTopics()).filter((t) => t.startsWith(state.topicPrefix));
      if (topics.length) await admin.deleteTopics({ topics, timeout: 20_000 });
      const groups = (await admin.listGroups()).groups.map((g) => g.groupId).filter((g) => g.startsWith(state.topicPrefix));
      if (groups.length) await admin.deleteGroups(groups).catch(() => {});
      log(`deleted ${topics.length} topics and ${groups.length} consumer groups with prefix ${state.topicPrefix}`);
    } finally {
      await admin.disconnect();
    }
  }

  let cleanupDone = null;
  async function doCleanup({ showServiceOutput }) {
    state.stopping = true;
    const step = async (what, fn) => {
      try {
        await fn();
      } catch (error) {
        log(`cleanup: ${what} failed: ${error.message}`);
      }
    };
    if (showServiceOutput) {
      for (const [name, s] of state.children) {
        if (!s.tail.length) continue;
        console.error(`\n---- last ${s.tail.length} lines of ${name} ----`);
        console.error(s.tail.join('\n'));
      }
    }
    if (state.children.size) log('stopping the services ...');
    await Promise.all([...state.children.values()].map((s) => kill(s.child)));
    await step('closing the database clients', beforeDrop);
    if (state.dbCreated) {
      await step(`dropping ${state.dbUrl}`, async () => {
        const { dropDatabase } = require('./libs/persistence/dist/index.js');
        await withTimeout(dropDatabase(state.dbUrl), 60_000, 'dropping the database');
        log(`dropped database ${new URL(state.dbUrl).pathname.slice(1)}`);
      });
    }
    if (state.kafka) await step(`deleting the ${label} topics`, () => withTimeout(deleteTopics(), 30_000, 'deleting topics'));
    if (state.configDir) await step('removing the temp dir', async () => fs.rmSync(state.configDir, { recursive: true, force: true }));
    if (state.kafka?.startedByUs) await step('stopping Kafka', () => state.kafka.stop());
    await step("the caller's own cleanup", afterCleanup);
  }

  /** Stops and removes everything this run made; every caller waits for the same one cleanup. */
  function cleanup(options = { showServiceOutput: false }) {
    cleanupDone ??= doCleanup(options);
    return cleanupDone;
  }

  let interrupted = 0;
  for (const signal of ['SIGINT', 'SIGTERM']) {
    process.on(signal, () => {
      interrupted++;
      if (interrupted > 1) {
        log('second interrupt: exiting without cleaning up');
        process.exit(130);
      }
      log(`${signal}: cleaning up (again to force) ...`);
      void cleanup({ showServiceOutput: false }).then(() => process.exit(130));
    });
  }

  return {
    state,
    urls,
    instances,
    start,
    cleanup,
    assertAlive,
    waitUntil,
    isHealthy,
    killService,
    restartService,
    get env() {
      return serviceEnv;
    },
    get interrupted() {
      return interrupted > 0;
    },
  };
}
