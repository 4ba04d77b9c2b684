#!/usr/bin/env node
// `npm start`: everything a newcomer needs, in order — dependencies, Postgres, Kafka,
// build, migrations — then ingest, rules and dispatch with the example config.
// Ctrl-C stops the services and whatever this script itself started.
import { spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ensureDependencies } from './dependencies.mjs';
import { ensurePostgres, postgresPort } from './postgres.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(path.join(root, 'package.json'));
const log = (line) => console.log(`[nudge] ${line}`);
const cleanups = [];
const children = new Map();
let stopping = false;

const SERVICES = [
  { name: 'ingest', portVar: 'INGEST_PORT', port: 3000 },
  { name: 'rules', portVar: 'RULES_PORT', port: 3001 },
  { name: 'dispatch', portVar: 'DISPATCH_PORT', port: 3002 },
];

async function main() {
  ensureDependencies(root, log);
  const env = { KAFKAJS_NO_PARTITIONER_WARNING: '1', NUDGE_CONFIG_DIR: path.join(root, 'config'), ...process.env };
  const postgres = await ensurePostgres({
    configured: env.DATABASE_URL,
    port: postgresPort(env),
    dataDir: env.NUDGE_POSTGRES_DIR ?? path.join(root, '.nudge', 'postgres'),
    log,
  });
  cleanups.push(() => postgres.stop());
  env.DATABASE_URL = postgres.url;
  const { ensureKafka } = await import('../deploy/kafka-local/kafka-local.mjs');
  const kafka = await ensureKafka({ log });
  if (kafka.startedByUs) cleanups.push(() => kafka.stop());
  env.KAFKA_BROKERS = kafka.brokers;
  env.NUDGE_LINK_SECRET ??= developmentLinkSecret();

  log('building ...');
  const build = spawnSync(process.execPath, [require.resolve('typescript/bin/tsc'), '-b', 'tsconfig.build.json'], {
    cwd: root,
    stdio: 'inherit',
  });
  if (build.status !== 0) throw new Error('the build failed (see above)');

  const { migrateDatabase } = require('./libs/persistence/dist/index.js');
  const applied = await migrateDatabase(env.DATABASE_URL);
  log(applied.length ? `database migrated: ${applied.join(', ')}` : 'database schema is up to date');

  for (const service of SERVICES) startService(service, env);
  await waitForHealth(env);
  log('Nudge is up:');
  for (const s of SERVICES) log(`  ${s.name.padEnd(8)} http://localhost:${env[s.portVar] ?? s.port}`);
  log(`config: ${env.NUDGE_CONFIG_DIR}  |  Kafka: ${env.KAFKA_BROKERS}  |  Ctrl-C stops everything`);
}

/**
 * The secret recipient links (unsubscribe, preferences, double opt-in) and widget codes are
 * signed with when NUDGE_LINK_SECRET is not set: made once and kept in .nudge/link-secret (not
 * in git), so the example's links work and stay valid across restarts. Production sets its own.
 */
function developmentLinkSecret() {
  const file = path.join(root, '.nudge', 'link-secret');
  if (!existsSync(file)) {
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(file, randomBytes(32).toString('hex'), { mode: 0o600 });
  }
  log('recipient links and widget codes are signed with a development secret (.nudge/link-secret); set NUDGE_LINK_SECRET in production');
  return readFileSync(file, 'utf8').trim();
}

function startService(service, env) {
  const child = spawn(process.execPath, [path.join(root, 'services', service.name, 'dist', 'main.js')], {
    cwd: root,
    env: { ...env, [service.portVar]: env[service.portVar] ?? String(service.port) },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.set(service.name, child);
  const prefix = `[${service.name}]`.padEnd(11);
  for (const stream of [child.stdout, child.stderr]) {
    let rest = '';
    stream.on('data', (chunk) => {
      const lines = (rest + chunk.toString()).split('\n');
      rest = lines.pop() ?? '';
      for (const line of lines) process.stdout.write(`${prefix}${line}\n`);
    });
  }
  child.on('exit', (code, signal) => {
    children.delete(service.name);
    if (stopping) return;
    log(`${service.name} exited (${signal ?? `code ${code}`}); stopping the rest`);
    void shutdown(1);
  });
}

async function waitForHealth(env) {
  const deadline = Date.now() + 60_000;
  for (const s of SERVICES) {
    const url = `http://127.0.0.1:${env[s.portVar] ?? s.port}/health`;
    for (;;) {
      try {
        if ((await fetch(url)).ok) break;
      } catch {
        // not listening yet
      }
      if (stopping) return;
      if (Date.now() > deadline) throw new Error(`${s.name} did not become healthy at ${url} within 60 s`);
      await new Promise((r) => setTimeout(r, 250));
    }
  }
}

async function shutdown(code) {
  if (stopping) return;
  stopping = true;
  log('stopping ...');
  await Promise.all(
    [...children.values()].map(
      (child) =>
        new Promise((resolve) => {
          const kill = setTimeout(() => child.kill('SIGKILL'), 15_000);
          child.once('exit', () => (clearTimeout(kill), resolve()));
          child.kill('SIGTERM');
        }),
    ),
  );
  for (const cleanup of cleanups.reverse()) await cleanup().catch((e) => log(`cleanup failed: ${e.message}`));
  log('stopped');
  process.exit(code);
}

process.on('SIGINT', () => void shutdown(0));
process.on('SIGTERM', () => void shutdown(0));
main().catch(async (error) => {
  console.error(`[nudge] ${error.message}`);
  await shutdown(1);
});
