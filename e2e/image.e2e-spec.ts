import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { parse as parseYaml } from 'yaml';

// The Dockerfile, read as a builder reads it. Building the image takes minutes (`npm run image`,
// which checks what it built); this file checks in a second what makes a build possible and
// right: the build stage gets every project tsconfig.build.json builds (the image could not be
// built while tools/ was not copied), installs without scripts, and the final stage holds dist
// and production dependencies only, as a non-root user, with a working HEALTHCHECK; and
// docker-compose.yml runs that image with commands whose paths it has.

const root = path.join(__dirname, '..');
const IMAGE = 'ghcr.io/nudge-oss/nudge:0.1.0';
/** The liveness route the HEALTHCHECK asks (process only: no Kafka or Postgres check). */
const LIVENESS_PATH = '/health/live';

interface Instruction {
  op: string;
  args: string;
}
interface Stage {
  from: string;
  name?: string;
  instructions: Instruction[];
}

/** Stages of a Dockerfile: continuation lines joined, comments dropped. */
function parseDockerfile(text: string): Stage[] {
  const logical: string[] = [];
  let pending = '';
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (line.startsWith('#') || (line === '' && pending === '')) continue;
    if (line.endsWith('\\')) {
      pending += `${line.slice(0, -1)} `;
      continue;
    }
    logical.push(pending + line);
    pending = '';
  }
  const stages: Stage[] = [];
  for (const line of logical) {
    const [op = '', ...rest] = line.split(/\s+/);
    const args = rest.join(' ');
    if (op.toUpperCase() === 'FROM') {
      const [from = '', as, name] = args.split(/\s+/);
      stages.push({ from, ...(as?.toUpperCase() === 'AS' && name ? { name } : {}), instructions: [] });
    } else {
      stages.at(-1)?.instructions.push({ op: op.toUpperCase(), args });
    }
  }
  return stages;
}

/** `COPY [--flags] src... dest` → flags and sources. */
function copyParts(args: string): { flags: string[]; sources: string[] } {
  const words = args.split(/\s+/);
  const flags = words.filter((w) => w.startsWith('--'));
  const paths = words.filter((w) => !w.startsWith('--'));
  return { flags, sources: paths.slice(0, -1).map((s) => s.replace(/^\.\//, '').replace(/\/$/, '')) };
}

/** A .dockerignore or COPY pattern as a regular expression over a context-relative path. */
function patternRegex(pattern: string): RegExp {
  let out = '';
  const p = pattern.replace(/^\//, '').replace(/\/$/, '');
  for (let i = 0; i < p.length; i++) {
    if (p.startsWith('**/', i)) {
      out += '(?:.*/)?';
      i += 2;
    } else if (p.startsWith('**', i)) {
      out += '.*';
      i += 1;
    } else if (p[i] === '*') out += '[^/]*';
    else if (p[i] === '?') out += '[^/]';
    else out += p[i]!.replace(/[.+^${}()|[\]\\]/g, '\\$&');
  }
  return new RegExp(`^${out}$`);
}

/** Whether the pattern matches the path or one of its folders. */
function coversPath(pattern: string, file: string): boolean {
  const regex = patternRegex(pattern);
  const parts = file.split('/');
  return parts.some((_, i) => regex.test(parts.slice(0, i + 1).join('/')));
}

/** Every file and folder `tsc -b tsconfig.build.json` reads: each project's tsconfig, package.json and src, and what they extend. */
function buildInputs(): string[] {
  const inputs = new Set(['package.json', 'package-lock.json', 'tsconfig.build.json']);
  const seen = new Set<string>();
  const visit = (configFile: string): void => {
    if (seen.has(configFile)) return;
    seen.add(configFile);
    inputs.add(configFile);
    const config = JSON.parse(readFileSync(path.join(root, configFile), 'utf8')) as {
      extends?: string;
      references?: { path: string }[];
    };
    const dir = path.posix.dirname(configFile);
    if (config.extends) inputs.add(path.posix.normalize(path.posix.join(dir, config.extends)));
    for (const reference of config.references ?? []) {
      const project = path.posix.normalize(path.posix.join(dir, reference.path));
      inputs.add(`${project}/package.json`);
      inputs.add(`${project}/src`);
      visit(`${project}/tsconfig.json`);
    }
  };
  visit('tsconfig.build.json');
  return [...inputs].sort();
}

const stages = parseDockerfile(readFileSync(path.join(root, 'Dockerfile'), 'utf8'));
const ignored = readFileSync(path.join(root, '.dockerignore'), 'utf8')
  .split('\n')
  .map((l) => l.trim())
  .filter((l) => l !== '' && !l.startsWith('#'));
const build = stages.find((s) => s.name === 'build');
const final = stages.at(-1)!;
const runs = (stage: Stage | undefined): string[] => (stage?.instructions ?? []).filter((i) => i.op === 'RUN').map((i) => i.args);

describe('the Docker image (Dockerfile, .dockerignore, docker-compose.yml)', () => {
  it('has a build stage and a separate final stage on the same base', () => {
    expect(stages.length).toBeGreaterThanOrEqual(2);
    expect(build).toBeDefined();
    expect(final).not.toBe(build);
    expect(final.from).toBe(build!.from);
  });

  it('copies into the build stage every path tsconfig.build.json builds from, none of them kept out by .dockerignore', () => {
    const sources = build!.instructions
      .filter((i) => i.op === 'COPY' && !copyParts(i.args).flags.some((f) => f.startsWith('--from')))
      .flatMap((i) => copyParts(i.args).sources);
    const inputs = buildInputs();
    expect(inputs).toEqual(expect.arrayContaining(['tools/cli/src', 'services/dispatch/src', 'tsconfig.base.json']));
    const notCopied = inputs.filter((input) => !sources.some((source) => coversPath(source, input)));
    expect(notCopied).toEqual([]);
    const keptOut = inputs.filter((input) => ignored.some((pattern) => coversPath(pattern, input)));
    expect(keptOut).toEqual([]);
    expect(runs(build).join('\n')).toMatch(/tsc -b tsconfig\.build\.json/);
  });

  it('keeps local builds, dependencies, data and keys out of the build context', () => {
    for (const local of [
      'node_modules',
      'libs/kafka/node_modules',
      'services/rules/dist',
      'reports',
      '.nudge',
      '.env',
      'deploy/kafka-local/data',
      '.git',
    ]) {
      expect([local, ignored.some((pattern) => coversPath(pattern, local))]).toEqual([local, true]);
    }
  });

  it('installs with --ignore-scripts, and no production dependency has an install script it would need', () => {
    const installs = [...runs(build), ...runs(final)].flatMap((run) => run.match(/npm (?:ci|install)[^;&|]*/g) ?? []);
    expect(installs.length).toBeGreaterThanOrEqual(2);
    for (const install of installs) expect(install).toMatch(/--ignore-scripts/);
    // Reviewed in README "Dependencies' install scripts": protobufjs only warns about versions;
    // @scarf/scarf (swagger-ui-dist's) only reports the install to Scarf, which we turn off.
    // A new production dependency whose script builds or fetches something would be missing
    // that in the image: review it and add it here, or run its script in the Dockerfile.
    const lock = JSON.parse(readFileSync(path.join(root, 'package-lock.json'), 'utf8')) as {
      packages: Record<string, { dev?: boolean; hasInstallScript?: boolean }>;
    };
    const withScripts = Object.entries(lock.packages)
      .filter(([, entry]) => entry.hasInstallScript && !entry.dev)
      .map(([name]) => name.replace(/^.*node_modules\//, ''));
    expect(withScripts.filter((name) => !['protobufjs', '@scarf/scarf'].includes(name))).toEqual([]);
  });

  it('puts only dist, production dependencies and config into the final stage, as a non-root user', () => {
    const copies = final.instructions.filter((i) => i.op === 'COPY').map((i) => copyParts(i.args));
    const fromBuild = copies.filter((c) => c.flags.includes('--from=build'));
    const fromContext = copies.filter((c) => !c.flags.some((f) => f.startsWith('--from')));
    expect(fromBuild.flatMap((c) => c.sources)).toEqual(['/prod']);
    expect(fromContext.flatMap((c) => c.sources)).toEqual(['config']);
    const prod = runs(build).find((run) => run.includes('/prod'));
    expect(prod).toMatch(/npm ci --omit=dev/);
    for (const dist of ['libs/*/dist', 'services/*/dist', 'tools/cli/dist']) expect(prod).toContain(dist);
    expect(prod).not.toMatch(/\b(src|test)\b/);
    const user = final.instructions.filter((i) => i.op === 'USER').at(-1)?.args ?? 'root';
    expect(user).toMatch(/^[1-9]\d*(:[1-9]\d*)?$/);
    expect(final.instructions.some((i) => i.op === 'CMD' && /services\/\w+\/dist\/main\.js/.test(i.args))).toBe(true);
    // The build's proxy CA (a build arg) never reaches the image's config.
    expect(final.instructions.filter((i) => /NODE_EXTRA_CA_CERTS/.test(i.args))).toEqual([]);
  });

  describe('HEALTHCHECK', () => {
    const healthcheck = final.instructions.find((i) => i.op === 'HEALTHCHECK')?.args;
    const [node, flag, script = ''] = healthcheck ? (JSON.parse(healthcheck.slice(healthcheck.indexOf('CMD') + 3)) as string[]) : [];
    let dir: string;
    let status = 200;
    const asked: string[] = [];
    const server = http.createServer((request, response) => {
      asked.push(request.url ?? '');
      response.writeHead(status).end();
    });
    let port: number;

    beforeAll(async () => {
      dir = mkdtempSync(path.join(tmpdir(), 'nudge-healthcheck-'));
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      port = (server.address() as { port: number }).port;
    });
    afterAll(async () => {
      await new Promise((resolve) => server.close(resolve));
      rmSync(dir, { recursive: true, force: true });
    });

    /** Runs the HEALTHCHECK's script as if PID 1 ran `command`; its exit code. */
    async function check(command: string[], env: Record<string, string>): Promise<number> {
      const cmdline = path.join(dir, 'cmdline');
      writeFileSync(cmdline, `${command.join('\0')}\0`);
      const run = script.replace("'/proc/1/cmdline'", JSON.stringify(cmdline));
      expect(run).not.toBe(script);
      try {
        await promisify(execFile)(process.execPath, [flag!, run], { env: { PATH: process.env.PATH, ...env }, timeout: 20_000 });
        return 0;
      } catch (error) {
        return (error as { code?: number }).code ?? -1;
      }
    }

    it('is node running a script', () => {
      expect([node, flag]).toEqual(['node', '-e']);
    });

    it('asks the liveness route of the service PID 1 runs, on its port', async () => {
      status = 200;
      asked.length = 0;
      expect(await check(['node', 'services/rules/dist/main.js'], { RULES_PORT: String(port) })).toBe(0);
      expect(asked).toEqual([LIVENESS_PATH]);
      status = 503;
      expect(await check(['/sbin/docker-init', '--', 'node', 'services/dispatch/dist/main.js'], { DISPATCH_PORT: String(port) })).toBe(1);
    });

    it('fails when nothing answers, and passes for a command that serves nothing (migrate, the CLI)', async () => {
      const closed = http.createServer();
      await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
      const closedPort = (closed.address() as { port: number }).port;
      await new Promise((resolve) => closed.close(resolve));
      expect(await check(['node', 'services/ingest/dist/main.js'], { INGEST_PORT: String(closedPort) })).toBe(1);
      asked.length = 0;
      expect(await check(['node', '-e', "require('./libs/persistence/dist')"], {})).toBe(0);
      expect(asked).toEqual([]);
    });

    it("defaults to each service's own default port", () => {
      for (const service of ['ingest', 'rules', 'dispatch']) {
        const config = readFileSync(path.join(root, 'services', service, 'src', 'config.ts'), 'utf8');
        const port = new RegExp(`${service.toUpperCase()}_PORT: portSchema\\.default\\((\\d+)\\)`).exec(config)?.[1];
        expect([service, new RegExp(`${service}: (\\d+)`).exec(script)?.[1]]).toEqual([service, port]);
      }
    });
  });

  it('docker-compose.yml runs this image, each command on a path the image has', () => {
    const compose = parseYaml(readFileSync(path.join(root, 'docker-compose.yml'), 'utf8')) as {
      services: Record<string, { build?: string; image?: string; command?: string[] }>;
    };
    const ours = Object.entries(compose.services).filter(([, s]) => s.build !== undefined || s.image === IMAGE);
    expect(ours.map(([name]) => name).sort()).toEqual(['dispatch', 'ingest', 'migrate', 'rules']);
    const built = buildInputs();
    for (const [name, service] of ours) {
      expect([name, service.build, service.image]).toEqual([name, '.', IMAGE]);
      const command = service.command ?? [];
      expect(command[0]).toBe('node');
      // Each path the command runs or requires is a dist the final stage has: a built project's.
      const dists = command.join(' ').match(/(?:libs|services|tools)\/[a-z-]+\/dist/g) ?? [];
      expect([name, dists.length > 0]).toEqual([name, true]);
      for (const dist of dists) expect([name, built.includes(`${dist.replace(/\/dist$/, '')}/src`)]).toEqual([name, true]);
    }
    const migrate = compose.services.migrate?.command?.join(' ') ?? '';
    const exported = /require\('\.\/libs\/persistence\/dist'\)\.(\w+)/.exec(migrate)?.[1];
    expect(exported).toBeDefined();
    const persistence = readFileSync(path.join(root, 'libs/persistence/src/data-source.ts'), 'utf8');
    expect(persistence).toMatch(new RegExp(`export (async )?function ${exported}\\b`));
    expect(existsSync(path.join(root, 'scripts', 'image.mjs'))).toBe(true);
    expect(readFileSync(path.join(root, 'scripts', 'image.mjs'), 'utf8')).toContain(`'${IMAGE}'`);
  });
});
