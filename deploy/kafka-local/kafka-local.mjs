// Local single-node Apache Kafka (KRaft, no ZooKeeper, no Docker) for development and tests.
//
// Node built-ins only: this must work before `npm install` has finished.
//
//   import { ensureKafka } from './deploy/kafka-local/kafka-local.mjs';
//   const kafka = await ensureKafka();   // { brokers, startedByUs, stop }
//
//   node deploy/kafka-local/kafka-local.mjs start [--detach] | stop | status

import { execFileSync, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const SCRIPT_FILE = fileURLToPath(import.meta.url);
const SCRIPT_DIR = path.dirname(SCRIPT_FILE);
// Resolved from this file, not from cwd, so it works from any directory.
const REPO_ROOT = path.resolve(SCRIPT_DIR, '..', '..');
const KAFKA_LOCAL_DIR = path.join(REPO_ROOT, 'deploy', 'kafka-local');
const POM_FILE = path.join(KAFKA_LOCAL_DIR, 'pom.xml');
const LIBS_DIR = path.join(KAFKA_LOCAL_DIR, '.cache', 'libs');
const DEFAULT_DATA_DIR = path.join(KAFKA_LOCAL_DIR, 'data');

const READY_TIMEOUT_MS = 90_000;
const POLL_MS = 200;
const STOP_TIMEOUT_MS = 20_000;
const JAVA = process.env.JAVA_HOME ? path.join(process.env.JAVA_HOME, 'bin', 'java') : 'java';

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

// ---------------------------------------------------------------------------
// Wire-protocol probe. A bare TCP check is not enough: a starting broker binds its port
// (the kernel then accepts connections) long before it serves requests, and the port may
// belong to something else. Kafka 3.9 starts serving the client listener only once the
// broker is unfenced, so an ApiVersions answer means clients can really use it.

const API_VERSIONS = 18;

/** Sends one request (header v1) and resolves the response body after the correlation id, or null. */
function kafkaRequest(host, port, apiKey, apiVersion, body, timeoutMs) {
  return new Promise((resolve) => {
    const correlationId = randomBytes(4).readInt32BE(0) & 0x7fffffff;
    const clientId = Buffer.from('kafka-local-probe');
    const header = Buffer.alloc(10);
    header.writeInt16BE(apiKey, 0);
    header.writeInt16BE(apiVersion, 2);
    header.writeInt32BE(correlationId, 4);
    header.writeInt16BE(clientId.length, 8);
    const payload = Buffer.concat([header, clientId, body]);
    const sizePrefix = Buffer.alloc(4);
    sizePrefix.writeInt32BE(payload.length, 0);

    let received = Buffer.alloc(0);
    let settled = false;
    const socket = net.connect({ host, port });
    const finish = (result) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      socket.destroy();
      resolve(result);
    };
    const timer = setTimeout(() => finish(null), timeoutMs);
    socket.on('error', () => finish(null));
    socket.on('close', () => finish(null));
    socket.on('connect', () => socket.write(Buffer.concat([sizePrefix, payload])));
    socket.on('data', (chunk) => {
      received = Buffer.concat([received, chunk]);
      if (received.length < 4) return;
      const size = received.readInt32BE(0);
      // Anything that is not Kafka (HTTP, Redis, ...) produces an absurd size here.
      if (size < 4 || size > 1 << 20) return finish(null);
      if (received.length < 4 + size) return;
      if (received.readInt32BE(4) !== correlationId) return finish(null);
      finish(received.subarray(8, 4 + size));
    });
  });
}

/** True when host:port answers a Kafka ApiVersions v0 request with error code 0. */
export async function isKafkaUp(host = '127.0.0.1', port = 9092, timeoutMs = 1000) {
  const body = await kafkaRequest(host, port, API_VERSIONS, 0, Buffer.alloc(0), timeoutMs);
  if (!body || body.length < 6) return false;
  const errorCode = body.readInt16BE(0);
  const apiCount = body.readInt32BE(2);
  // v0 body: error_code int16, then [api_key int16, min_version int16, max_version int16].
  return errorCode === 0 && apiCount > 0 && body.length === 6 + apiCount * 6;
}

function acceptsTcp(host, port, timeoutMs = 1000) {
  return new Promise((resolve) => {
    const socket = net.connect({ host, port });
    const done = (ok) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(timeoutMs, () => done(false));
    socket.on('connect', () => done(true));
    socket.on('error', () => done(false));
  });
}

// ---------------------------------------------------------------------------
// Prerequisites: Java to run the broker, Maven only for the one-time jar download.

/** Runs a command to completion, resolving { code, output } (code -1 if it cannot be spawned). */
function run(command, args) {
  return new Promise((resolve) => {
    let output = '';
    const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    child.stdout.on('data', (d) => (output += d));
    child.stderr.on('data', (d) => (output += d));
    child.on('error', (error) => resolve({ code: -1, output: String(error) }));
    child.on('close', (code) => resolve({ code, output }));
  });
}

const ALTERNATIVE = 'or set KAFKA_BROKERS to an existing broker (e.g. KAFKA_BROKERS=localhost:9092)';

async function checkJava() {
  const { code, output } = await run(JAVA, ['-version']);
  const match = /version "(\d+)(?:\.(\d+))?/.exec(output);
  const major = match ? (match[1] === '1' ? Number(match[2]) : Number(match[1])) : 0;
  if (code !== 0 || major === 0) {
    throw new Error(
      `Java 17+ is needed to run the local Kafka broker but \`${JAVA} -version\` failed. ` +
        `Install it (apt-get install openjdk-17-jre-headless, brew install openjdk@17), ${ALTERNATIVE}.`,
    );
  }
  if (major < 11) {
    throw new Error(`Kafka 3.9 needs Java 11+ (17 recommended), found Java ${major}. Install openjdk-17, ${ALTERNATIVE}.`);
  }
}

function pomKafkaVersion() {
  const match = /<kafka\.version>([^<]+)<\/kafka\.version>/.exec(fs.readFileSync(POM_FILE, 'utf8'));
  if (!match) throw new Error(`Cannot find <kafka.version> in ${POM_FILE}`);
  return match[1].trim();
}

/** Downloads the broker jars once; refreshes them when pom.xml moves to another Kafka version. */
async function ensureJars(log) {
  const version = pomKafkaVersion();
  if (fs.existsSync(path.join(LIBS_DIR, `kafka_2.13-${version}.jar`))) return;
  const mvn = await run('mvn', ['-v']);
  if (mvn.code !== 0) {
    throw new Error(
      `Maven is needed once to download the Kafka ${version} jars but \`mvn -v\` failed. ` +
        `Install it (apt-get install maven, brew install maven), ${ALTERNATIVE}.`,
    );
  }
  // Old jars from another version would end up on the same classpath: start clean.
  fs.rmSync(LIBS_DIR, { recursive: true, force: true });
  log(`kafka-local: downloading Apache Kafka ${version} jars with Maven (one-time, ~45 MB) into ${LIBS_DIR}`);
  const result = await run('mvn', ['-q', '-B', '-f', POM_FILE, 'package']);
  if (result.code !== 0) {
    throw new Error(`Maven failed to download the Kafka jars (exit ${result.code}):\n${result.output.slice(-4000)}`);
  }
}

// ---------------------------------------------------------------------------
// Broker config and data dir.

function paths(dataDir) {
  return {
    config: path.join(dataDir, 'server.properties'),
    log4j: path.join(dataDir, 'log4j.properties'),
    logFile: path.join(dataDir, 'kafka.log'),
    pidFile: path.join(dataDir, 'kafka.pid'),
    logDirs: path.join(dataDir, 'logs'),
  };
}

function writeConfig(dataDir, port, controllerPort) {
  const p = paths(dataDir);
  fs.mkdirSync(p.logDirs, { recursive: true });
  const server = {
    // One KRaft node acting as both broker and controller.
    'process.roles': 'broker,controller',
    'node.id': 1,
    'controller.quorum.voters': `1@127.0.0.1:${controllerPort}`,
    listeners: `PLAINTEXT://127.0.0.1:${port},CONTROLLER://127.0.0.1:${controllerPort}`,
    'advertised.listeners': `PLAINTEXT://localhost:${port}`,
    'controller.listener.names': 'CONTROLLER',
    'inter.broker.listener.name': 'PLAINTEXT',
    'listener.security.protocol.map': 'PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT',
    'log.dirs': p.logDirs,
    'num.partitions': 6,
    'auto.create.topics.enable': true,
    // Single node: internal topics cannot be replicated; fewer partitions start faster.
    'offsets.topic.replication.factor': 1,
    'offsets.topic.num.partitions': 10,
    'transaction.state.log.replication.factor': 1,
    'transaction.state.log.min.isr': 1,
    'transaction.state.log.num.partitions': 10,
    // Consumers in tests join one at a time; don't make each join wait 3 s.
    'group.initial.rebalance.delay.ms': 0,
    'log.retention.hours': 24,
    'log.segment.bytes': 64 * 1024 * 1024,
  };
  const text = Object.entries(server).map(([key, value]) => `${key}=${value}`);
  fs.writeFileSync(p.config, `# Written by deploy/kafka-local/kafka-local.mjs on every start; edits are lost.\n${text.join('\n')}\n`);
  fs.writeFileSync(
    p.log4j,
    [
      'log4j.rootLogger=WARN, file',
      'log4j.appender.file=org.apache.log4j.FileAppender',
      `log4j.appender.file.File=${p.logFile}`,
      'log4j.appender.file.Append=true',
      'log4j.appender.file.layout=org.apache.log4j.PatternLayout',
      'log4j.appender.file.layout.ConversionPattern=[%d] %p %m (%c)%n',
      '',
    ].join('\n'),
  );
  return p;
}

/** Same format as `kafka-storage random-uuid`: 16 random bytes, URL-safe base64 without padding. */
function randomClusterId() {
  let id;
  do id = randomBytes(16).toString('base64url');
  while (id.startsWith('-')); // a leading dash would be parsed as a CLI flag
  return id;
}

function javaArgs(p, mainClass, ...args) {
  return ['-cp', path.join(LIBS_DIR, '*'), `-Dlog4j.configuration=${new URL(`file://${p.log4j}`).href}`, mainClass, ...args];
}

async function formatStorageOnce(p) {
  // meta.properties marks a formatted log dir; reformatting would wipe the cluster identity.
  if (fs.existsSync(path.join(p.logDirs, 'meta.properties'))) return;
  const result = await run(JAVA, javaArgs(p, 'kafka.tools.StorageTool', 'format', '-t', randomClusterId(), '-c', p.config));
  if (result.code !== 0) throw new Error(`Formatting the Kafka storage in ${p.logDirs} failed:\n${result.output}`);
}

// ---------------------------------------------------------------------------
// Process bookkeeping. The pid file can be stale (kill -9, reboot) and its pid reused,
// so a pid only counts if that process is a Kafka broker using this data dir's config.

/** '' if the process is gone. Zombies read as '' too, so an exited-but-unreaped broker counts as gone. */
function processCommandLine(pid) {
  try {
    if (fs.existsSync('/proc/self/cmdline')) return fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8');
    // No /proc (macOS): ask ps, which exits non-zero for an unknown pid.
    return execFileSync('ps', ['-ww', '-o', 'args=', '-p', String(pid)], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
  } catch {
    return '';
  }
}

function isOurBroker(pid, configFile) {
  const cmdline = processCommandLine(pid);
  return cmdline.includes('kafka.Kafka') && cmdline.includes(configFile);
}

function readPid(pidFile) {
  try {
    const pid = Number.parseInt(fs.readFileSync(pidFile, 'utf8'), 10);
    return Number.isInteger(pid) && pid > 0 ? pid : null;
  } catch {
    return null;
  }
}

/** The pid of a live broker started from this data dir, cleaning up a stale pid file. */
function runningBrokerPid(p) {
  const pid = readPid(p.pidFile);
  if (pid && isOurBroker(pid, p.config)) return pid;
  fs.rmSync(p.pidFile, { force: true });
  return null;
}

async function stopBroker(pid, p, log) {
  if (!isOurBroker(pid, p.config)) return fs.rmSync(p.pidFile, { force: true });
  log(`kafka-local: stopping Kafka (pid ${pid})`);
  const signal = (name) => {
    try {
      process.kill(pid, name);
    } catch {
      /* already gone */
    }
  };
  signal('SIGTERM');
  const deadline = Date.now() + STOP_TIMEOUT_MS;
  while (isOurBroker(pid, p.config) && Date.now() < deadline) await sleep(POLL_MS);
  if (isOurBroker(pid, p.config)) {
    log(`kafka-local: Kafka did not stop within ${STOP_TIMEOUT_MS / 1000} s, killing it`);
    signal('SIGKILL');
    const killDeadline = Date.now() + 5000;
    while (isOurBroker(pid, p.config) && Date.now() < killDeadline) await sleep(POLL_MS);
  }
  if (readPid(p.pidFile) === pid) fs.rmSync(p.pidFile, { force: true });
}

/**
 * Serialises starts from one data dir across processes (parallel test workers), so only
 * one of them formats the storage and spawns a broker; the others then find it running.
 */
async function withStartLock(dataDir, log, fn) {
  const lockFile = path.join(dataDir, 'kafka.start.lock');
  fs.mkdirSync(dataDir, { recursive: true });
  let announced = false;
  for (;;) {
    try {
      fs.writeFileSync(lockFile, `${process.pid}\n`, { flag: 'wx' });
      break;
    } catch (error) {
      if (error.code !== 'EEXIST') throw error;
    }
    const holder = readPid(lockFile);
    // An empty lock file is one being written right now, unless it has been empty for long.
    const stale = holder ? !isAlive(holder) : Date.now() - fileMtime(lockFile) > 10_000;
    if (stale) {
      fs.rmSync(lockFile, { force: true });
      continue;
    }
    if (!announced) log(`kafka-local: another start (pid ${holder}) is in progress for ${dataDir}; waiting for it`);
    announced = true;
    await sleep(POLL_MS);
  }
  try {
    return await fn();
  } finally {
    fs.rmSync(lockFile, { force: true });
  }
}

/** Whether process `pid` exists (one of another user answers EPERM: it exists). */
export function isAlive(pid) {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return error.code === 'EPERM';
  }
}

function fileMtime(file) {
  try {
    return fs.statSync(file).mtimeMs;
  } catch {
    return Date.now();
  }
}

/** The end of this start's log, led by the "Caused by" chain of any Java stack trace in it. */
function logTail(logFile, fromOffset, lines = 25) {
  let text;
  try {
    text = fs.readFileSync(logFile).subarray(fromOffset).toString('utf8').trimEnd();
  } catch {
    return '(no log)';
  }
  const causes = [...new Set(text.match(/^Caused by: .*$/gm) ?? [])].slice(-5);
  const tail = text.split('\n').slice(-lines).join('\n');
  return causes.length ? `${causes.join('\n')}\n...\n${tail}` : tail;
}

async function waitUntilReady(port, stillRunning, timeoutMs = READY_TIMEOUT_MS) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (!stillRunning()) return 'exited';
    if (await isKafkaUp('127.0.0.1', port, 500)) return 'ready';
    await sleep(POLL_MS);
  }
  return 'timeout';
}

async function startBroker({ port, controllerPort, dataDir, log }) {
  await checkJava();
  await ensureJars(log);
  const p = writeConfig(dataDir, port, controllerPort);
  await formatStorageOnce(p);

  const logOffset = fs.existsSync(p.logFile) ? fs.statSync(p.logFile).size : 0;
  fs.appendFileSync(p.logFile, `\n===== kafka-local: starting broker ${new Date().toISOString()} =====\n`);
  const logFd = fs.openSync(p.logFile, 'a');
  const startedAt = Date.now();
  // Detached + unref'd: the broker outlives `start --detach`, never holds the caller's
  // event loop open, and does not receive the terminal's Ctrl-C (we stop it gracefully).
  const child = spawn(JAVA, ['-Xms256m', '-Xmx1g', '-XX:+UseG1GC', '-Djava.awt.headless=true', ...javaArgs(p, 'kafka.Kafka', p.config)], {
    cwd: dataDir,
    detached: true,
    stdio: ['ignore', logFd, logFd],
  });
  fs.closeSync(logFd);
  child.unref();
  let exitCode = null;
  child.on('exit', (code, signal) => (exitCode = code ?? signal));
  child.on('error', (error) => (exitCode = error.message));
  fs.writeFileSync(p.pidFile, `${child.pid}\n`);

  const outcome = await waitUntilReady(port, () => exitCode === null);
  if (outcome !== 'ready') {
    if (outcome === 'timeout') await stopBroker(child.pid, p, log);
    else fs.rmSync(p.pidFile, { force: true });
    const why = outcome === 'timeout' ? `did not answer on port ${port} within ${READY_TIMEOUT_MS / 1000} s` : `exited early (${exitCode})`;
    throw new Error(`Kafka ${why}. Last lines of ${p.logFile}:\n${logTail(p.logFile, logOffset)}`);
  }
  log(
    `kafka-local: Kafka ready on localhost:${port} in ${((Date.now() - startedAt) / 1000).toFixed(1)} s (pid ${child.pid}, data ${dataDir})`,
  );
  return { pid: child.pid, p };
}

// ---------------------------------------------------------------------------
// Public API

function defaultOptions(options = {}) {
  const port = options.port ?? Number(process.env.KAFKA_LOCAL_PORT || 9092);
  // Derived from port so a second instance on another port does not clash on 9093.
  const controllerPort = options.controllerPort ?? Number(process.env.KAFKA_LOCAL_CONTROLLER_PORT || port + 1);
  for (const value of [port, controllerPort]) {
    if (!Number.isInteger(value) || value <= 0 || value > 65535) throw new Error(`Invalid Kafka port: ${value}`);
  }
  return {
    port,
    controllerPort,
    dataDir: path.resolve(options.dataDir ?? (process.env.KAFKA_LOCAL_DATA_DIR || DEFAULT_DATA_DIR)),
    log: options.log ?? console.log,
  };
}

/**
 * Returns a usable Kafka: $KAFKA_BROKERS if set, else a broker already answering on
 * 127.0.0.1:port, else a freshly started local broker. `stop()` only stops a broker
 * this call started; otherwise it is a no-op.
 *
 * @param {{port?: number, controllerPort?: number, dataDir?: string, log?: (msg: string) => void}} [options]
 * @returns {Promise<{brokers: string, startedByUs: boolean, stop: () => Promise<void>}>}
 */
export async function ensureKafka(options = {}) {
  const noop = async () => {};
  if (process.env.KAFKA_BROKERS) return { brokers: process.env.KAFKA_BROKERS, startedByUs: false, stop: noop };

  const { port, controllerPort, dataDir, log } = defaultOptions(options);
  const brokers = `localhost:${port}`;
  if (await isKafkaUp('127.0.0.1', port)) return { brokers, startedByUs: false, stop: noop };

  const p = paths(dataDir);
  const pid = await withStartLock(dataDir, log, async () => {
    // Whoever held the lock before us may have just started it.
    if (await isKafkaUp('127.0.0.1', port)) return null;

    // A detached broker from this data dir may still be starting, or be stuck.
    const existingPid = runningBrokerPid(p);
    if (existingPid) {
      log(`kafka-local: waiting for the Kafka broker already starting from ${dataDir} (pid ${existingPid})`);
      const outcome = await waitUntilReady(port, () => isOurBroker(existingPid, p.config));
      if (outcome === 'ready') return null;
      if (outcome === 'timeout') {
        throw new Error(
          `A Kafka broker from ${dataDir} (pid ${existingPid}) is running but not answering on port ${port}; ` +
            `stop it with \`node deploy/kafka-local/kafka-local.mjs stop\`. Log: ${p.logFile}`,
        );
      }
      // It exited (e.g. it was being killed as we looked): start our own below.
    }
    if (await acceptsTcp('127.0.0.1', port)) {
      throw new Error(
        `Port ${port} is taken by something that does not answer Kafka requests; free it or set KAFKA_LOCAL_PORT / KAFKA_BROKERS.`,
      );
    }
    return (await startBroker({ port, controllerPort, dataDir, log })).pid;
  });
  if (pid === null) return { brokers, startedByUs: false, stop: noop };

  let stopped = false;
  return {
    brokers,
    startedByUs: true,
    stop: async () => {
      if (stopped) return;
      stopped = true;
      await stopBroker(pid, p, log);
    },
  };
}

// ---------------------------------------------------------------------------
// CLI

async function main(argv) {
  const [command = 'start', ...flags] = argv;
  const { port, dataDir } = defaultOptions();
  const p = paths(dataDir);

  if (command === 'status') {
    const up = await isKafkaUp('127.0.0.1', port);
    const pid = runningBrokerPid(p);
    console.log(
      up ? `up: localhost:${port}${pid ? ` (pid ${pid}, data ${dataDir})` : ''}` : `down: nothing answers Kafka on localhost:${port}`,
    );
    return up ? 0 : 1;
  }

  if (command === 'stop') {
    const pid = runningBrokerPid(p);
    if (pid) {
      await stopBroker(pid, p, console.log);
      console.log('kafka-local: stopped');
    } else {
      console.log(`kafka-local: no broker running from ${dataDir}`);
    }
    return 0;
  }

  if (command === 'start') {
    const kafka = await ensureKafka();
    if (!kafka.startedByUs) console.log(`kafka-local: reusing the Kafka already running at ${kafka.brokers}`);
    if (flags.includes('--detach')) {
      console.log(kafka.brokers);
      return 0;
    }
    console.log(`kafka-local: brokers ${kafka.brokers} - press Ctrl-C to stop`);
    return new Promise((resolve) => {
      // The interval also keeps this process alive (the broker child is unref'd).
      const watchdog = setInterval(() => {
        if (kafka.startedByUs && !runningBrokerPid(p)) {
          clearInterval(watchdog);
          console.error(`kafka-local: the broker exited on its own; see ${p.logFile}`);
          resolve(1);
        }
      }, 2000);
      const shutdown = async () => {
        clearInterval(watchdog);
        await kafka.stop();
        resolve(0);
      };
      process.once('SIGINT', shutdown);
      process.once('SIGTERM', shutdown);
    });
  }

  console.error('usage: node deploy/kafka-local/kafka-local.mjs start [--detach] | stop | status');
  return 2;
}

const invokedDirectly = process.argv[1] && fs.realpathSync(path.resolve(process.argv[1])) === fs.realpathSync(SCRIPT_FILE);
if (invokedDirectly) {
  main(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (error) => {
      console.error(`kafka-local: ${error.message}`);
      process.exit(1);
    },
  );
}
