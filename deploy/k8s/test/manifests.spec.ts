import { TOPICS, type TopicKey } from '@nudge/contracts';
import { TopicNames, topicPlan } from '@nudge/kafka';
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parse, parseAllDocuments } from 'yaml';
import type { ZodRawShape } from 'zod';
import { HealthController } from '../../../libs/service-runtime/src/health.controller';
import { dispatchEnvShape, loadDispatchConfig } from '../../../services/dispatch/src/config';
import { ingestEnvShape, loadIngestConfig } from '../../../services/ingest/src/config';
import { loadRulesConfig, rulesEnvShape } from '../../../services/rules/src/config';
import { identityOf, readManifests, renderKustomization, type Manifest } from './kustomize';

// The manifests of deploy/k8s, rendered as kustomize renders them, checked against the
// Kubernetes and CRD schemas and against the code they run: the services' config schemas
// (env names, ports, values), their health routes, their Kafka consumers and topic plan, and
// docker-compose's migration command. Renaming a variable, a port, a route, a consumer group
// or a topic in the code fails here until the manifests follow.

const ROOT = path.resolve(__dirname, '../../..');
const K8S = path.join(ROOT, 'deploy/k8s');
const IMAGE = 'ghcr.io/nudge-oss/nudge:0.1.0';

const SERVICES = {
  ingest: { shape: ingestEnvShape, load: loadIngestConfig, port: 'INGEST_PORT' },
  rules: { shape: rulesEnvShape, load: loadRulesConfig, port: 'RULES_PORT' },
  dispatch: { shape: dispatchEnvShape, load: loadDispatchConfig, port: 'DISPATCH_PORT' },
} as const;
type ServiceName = keyof typeof SERVICES;
const SERVICE_NAMES = Object.keys(SERVICES) as ServiceName[];

/** Secret variables of the schemas (the pattern config.ts hides values by) the manifests do not set, and why. */
const SECRETS_NOT_SET: Record<string, string> = {
  KAFKA_SASL_PASSWORD: 'the in-cluster listener is plaintext without SASL',
  NUDGE_SECRETS_DIR: 'a directory, not a secret: dispatch mounts the provider secrets there',
};
const SECRET_NAME = /PASSWORD|SECRET|TOKEN|_KEY$|DATABASE_URL/;

interface EnvVar {
  name: string;
  value?: string;
  valueFrom?: { secretKeyRef?: { name: string; key: string; optional?: boolean } };
}
interface Probe {
  httpGet?: { path: string; port: string | number };
  periodSeconds?: number;
  failureThreshold?: number;
}
interface Container {
  name: string;
  image: string;
  command?: string[];
  ports?: { name?: string; containerPort: number }[];
  env?: EnvVar[];
  livenessProbe?: Probe;
  readinessProbe?: Probe;
  startupProbe?: Probe;
  resources?: { requests?: Record<string, string>; limits?: Record<string, string> };
  securityContext?: Record<string, unknown>;
  volumeMounts?: { name: string; mountPath: string }[];
}
interface PodSpec {
  containers: Container[];
  securityContext?: { runAsNonRoot?: boolean; runAsUser?: number };
  volumes?: { name: string; projected?: { sources: { configMap?: { name: string; items?: { key: string; path: string }[] } }[] } }[];
}
type Workload = Manifest & {
  spec: {
    replicas?: number;
    selector?: { matchLabels: Record<string, string> };
    template: { metadata?: { labels?: Record<string, string> }; spec: PodSpec };
  };
};
type ScaledObject = Manifest & {
  spec: {
    scaleTargetRef: { name: string };
    minReplicaCount: number;
    maxReplicaCount: number;
    triggers: { type: string; metadata: Record<string, string> }[];
  };
};

const find = (manifests: Manifest[], kind: string, name?: string) =>
  manifests.filter((m) => m.kind === kind && (name === undefined || m.metadata.name === name));
function one<T extends Manifest = Manifest>(manifests: Manifest[], kind: string, name?: string): T {
  const found = find(manifests, kind, name);
  if (found.length !== 1) throw new Error(`expected one ${kind} ${name ?? ''}, found ${found.length}`);
  return found[0] as T;
}
/** The first of `list`, which must have one. */
function first<T>(list: readonly T[] | undefined, what: string): T {
  const [item] = list ?? [];
  if (item === undefined) throw new Error(`no ${what}`);
  return item;
}
const containerOf = (manifests: Manifest[], service: string) =>
  first(one<Workload>(manifests, 'Deployment', service).spec.template.spec.containers, `${service} container`);
/** What the schema makes of `name` when it is not set. */
function defaultOf(shape: ZodRawShape, name: string): unknown {
  const schema = shape[name];
  if (schema === undefined) throw new Error(`no variable ${name} in the schema`);
  return schema.parse(undefined);
}

/** The paths of the HealthController's routes, from Nest's metadata. */
function healthRoutes(): string[] {
  const prototype = HealthController.prototype as unknown as Record<string, unknown>;
  return Object.getOwnPropertyNames(prototype)
    .map((method) => Reflect.getMetadata('path', prototype[method] as object) as string | undefined)
    .filter((route): route is string => typeof route === 'string')
    .map((route) => `/${route}`);
}

/**
 * Each Kafka consumer of the services on a Nudge topic, read from their source: which service, which
 * group (after the prefix), which topic. A consumer of topics an operator names in a variable
 * (`topics: this.config.INGEST_KAFKA_TOPICS`) goes to `configured` instead, with that variable.
 */
function consumersInCode(
  configured: { service: ServiceName; group: string; variable: string }[] = [],
): { service: ServiceName; group: string; topic: TopicKey }[] {
  const consumers: { service: ServiceName; group: string; topic: TopicKey }[] = [];
  const walk = (dir: string): string[] =>
    readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
      entry.isDirectory()
        ? walk(path.join(dir, entry.name))
        : entry.name.endsWith('.ts') && !entry.name.endsWith('.spec.ts')
          ? [path.join(dir, entry.name)]
          : [],
    );
  for (const service of SERVICE_NAMES) {
    for (const file of walk(path.join(ROOT, 'services', service, 'src'))) {
      const source = readFileSync(file, 'utf8');
      if (!source.includes('startBatchConsumer({')) continue;
      const group = /groupId: `\$\{this\.topics\.prefix\}([\w.-]+)`/.exec(source);
      const topics = /topics: \[this\.topics\.(\w+)\]/.exec(source);
      const variable = /topics: this\.config\.(\w+)/.exec(source)?.[1];
      if (group?.[1] !== undefined && variable !== undefined) {
        configured.push({ service, group: group[1], variable });
        continue;
      }
      if (group?.[1] === undefined || topics?.[1] === undefined || !(topics[1] in TOPICS))
        throw new Error(`${file}: a consumer whose group or topic this test cannot read`);
      consumers.push({ service, group: group[1], topic: topics[1] as TopicKey });
    }
  }
  return consumers;
}

/** Failures of the kubernetes-models schemas (validate-models.mjs, an ES module). */
function schemaFailures(manifests: unknown[]): { id: string; error: string }[] {
  const output = execFileSync(process.execPath, [path.join(__dirname, 'validate-models.mjs')], {
    input: JSON.stringify(manifests),
    cwd: ROOT,
    encoding: 'utf8',
  });
  return JSON.parse(output) as { id: string; error: string }[];
}

/** CPU cores or bytes of a Kubernetes quantity (the suffixes the manifests use). */
function quantity(value: string): number {
  const match = /^(\d+(?:\.\d+)?)(m|Mi|Gi)?$/.exec(value);
  if (!match) throw new Error(`quantity ${value} not understood`);
  const factor = ({ m: 0.001, Mi: 2 ** 20, Gi: 2 ** 30 } as Record<string, number>)[match[2] ?? ''] ?? 1;
  return Number(match[1]) * factor;
}

const secretTemplate = readManifests(path.join(K8S, 'base/secret-keys.template.yaml'));
const keys = one<Manifest & { stringData: Record<string, string> }>(secretTemplate, 'Secret', 'nudge-keys');

describe.each([
  ['base', path.join(K8S, 'base')],
  ['dev overlay', path.join(K8S, 'overlays/dev')],
])('deploy/k8s %s', (_label, dir) => {
  const manifests = renderKustomization(dir);
  const kafka = one<Manifest & { spec: { kafka: { listeners: { name: string; port: number; tls: boolean }[] } } }>(manifests, 'Kafka');
  const postgres = one<Manifest & { spec: { bootstrap: { initdb: { database: string } } } }>(manifests, 'Cluster');
  const bootstrapHost = `${kafka.metadata.name}-kafka-bootstrap`;
  const listenerPort = kafka.spec.kafka.listeners.find((l) => !l.tls)?.port;
  const workloads = [...find(manifests, 'Deployment'), ...find(manifests, 'Job')] as Workload[];

  it('validates every object, and the secret template, against the Kubernetes, KEDA, Strimzi and CloudNativePG schemas', () => {
    expect(manifests.map((m) => m.kind).sort()).toEqual(
      expect.arrayContaining([
        'ConfigMap',
        'Deployment',
        'Job',
        'Kafka',
        'KafkaNodePool',
        'KafkaTopic',
        'PodDisruptionBudget',
        'ScaledObject',
        'Service',
      ]),
    );
    expect(schemaFailures([...manifests, ...secretTemplate])).toEqual([]);
  });

  it('runs each service from the one image with its own command, port, probes and resources, as non-root', () => {
    const routes = healthRoutes();
    expect(routes).toEqual(expect.arrayContaining(['/health/live', '/health/ready']));
    const startTimeout = defaultOf(SERVICES.rules.shape, 'NUDGE_START_TIMEOUT_SECONDS') as number;
    for (const service of SERVICE_NAMES) {
      const deployment = one<Workload>(manifests, 'Deployment', service);
      const container = containerOf(manifests, service);
      const port = defaultOf(SERVICES[service].shape, SERVICES[service].port);
      expect([service, container.image, container.command]).toEqual([service, IMAGE, ['node', `services/${service}/dist/main.js`]]);
      expect(readdirSync(path.join(ROOT, 'services', service, 'src'))).toContain('main.ts');
      expect([service, container.ports]).toEqual([service, [{ name: 'http', containerPort: port }]]);
      expect([service, container.livenessProbe?.httpGet, container.readinessProbe?.httpGet, container.startupProbe?.httpGet]).toEqual([
        service,
        { path: '/health/live', port: 'http' },
        { path: '/health/ready', port: 'http' },
        { path: '/health/live', port: 'http' },
      ]);
      // The process listens only once Kafka and Postgres answer: the startup probe waits that long.
      const startup = container.startupProbe as Required<Probe>;
      expect(startup.periodSeconds * startup.failureThreshold).toBeGreaterThan(startTimeout);
      const selector = deployment.spec.selector?.matchLabels ?? {};
      expect(deployment.spec.template.metadata?.labels).toMatchObject(selector);

      const serviceObject = one<Manifest & { spec: { selector: Record<string, string>; ports: { port: number; targetPort: string }[] } }>(
        manifests,
        'Service',
        service,
      );
      expect([service, serviceObject.spec.selector, serviceObject.spec.ports]).toEqual([
        service,
        selector,
        [{ name: 'http', port, targetPort: 'http' }],
      ]);
      const budget = one<Manifest & { spec: { selector: { matchLabels: Record<string, string> }; maxUnavailable?: number } }>(
        manifests,
        'PodDisruptionBudget',
        service,
      );
      expect([service, budget.spec.selector.matchLabels, budget.spec.maxUnavailable]).toEqual([service, selector, 1]);
    }
    for (const workload of workloads) {
      const pod = workload.spec.template.spec;
      expect([workload.metadata.name, pod.securityContext?.runAsNonRoot, (pod.securityContext?.runAsUser ?? 0) > 0]).toEqual([
        workload.metadata.name,
        true,
        true,
      ]);
      for (const container of pod.containers) {
        expect([container.name, container.image]).toEqual([container.name, IMAGE]);
        expect(container.securityContext).toMatchObject({
          allowPrivilegeEscalation: false,
          readOnlyRootFilesystem: true,
          capabilities: { drop: ['ALL'] },
        });
        for (const kind of ['requests', 'limits'] as const) {
          expect([container.name, kind, Object.keys(container.resources?.[kind] ?? {}).sort()]).toEqual([
            container.name,
            kind,
            ['cpu', 'memory'],
          ]);
        }
      }
    }
  });

  it("sets only variables of each service's config schema, every secret one from a Secret, with values the service accepts", () => {
    const secretsDir = mkdtempSync(path.join(tmpdir(), 'nudge-k8s-'));
    for (const service of SERVICE_NAMES) {
      const { shape, load, port } = SERVICES[service];
      const env = containerOf(manifests, service).env ?? [];
      const names = env.map((v) => v.name);
      expect([service, names.filter((name) => !(name in shape))]).toEqual([service, []]);
      expect([service, names.filter((name, i) => names.indexOf(name) !== i)]).toEqual([service, []]);

      const secretNames = Object.keys(shape).filter((name) => SECRET_NAME.test(name) && !(name in SECRETS_NOT_SET));
      const fromSecrets = env.filter((v) => v.valueFrom?.secretKeyRef !== undefined).map((v) => v.name);
      expect([service, fromSecrets.sort()]).toEqual([service, [...secretNames].sort()]);
      expect([service, names]).toEqual([service, expect.arrayContaining(['KAFKA_BROKERS', 'DATABASE_URL', 'PUBLIC_URL'])]);

      // What the pod would see, placeholders for the Secrets' values: the schema must accept it.
      const values = Object.fromEntries(env.map((v) => [v.name, valueOf(v, manifests)]));
      if (values.NUDGE_SECRETS_DIR !== undefined) values.NUDGE_SECRETS_DIR = secretsDir;
      const config = load(values) as Record<string, unknown>;
      expect([service, config[port]]).toEqual([service, containerOf(manifests, service).ports?.[0]?.containerPort]);
      expect(config.KAFKA_BROKERS).toEqual([`${bootstrapHost}:${listenerPort}`]);
    }
  });

  it('takes DATABASE_URL from the Secret CloudNativePG makes for its cluster, and keys from nudge-keys as the template lists them', () => {
    const refs = workloads.flatMap((w) =>
      w.spec.template.spec.containers.flatMap((c) =>
        (c.env ?? []).flatMap((v) => (v.valueFrom?.secretKeyRef ? [{ env: v.name, ...v.valueFrom.secretKeyRef }] : [])),
      ),
    );
    for (const ref of refs.filter((r) => r.env === 'DATABASE_URL'))
      expect(ref).toEqual({ env: 'DATABASE_URL', name: `${postgres.metadata.name}-app`, key: 'uri' });
    const keyRefs = refs.filter((r) => r.env !== 'DATABASE_URL');
    for (const ref of keyRefs) expect(ref).toEqual({ env: ref.key, name: keys.metadata.name, key: ref.key });
    expect([...new Set(keyRefs.map((r) => r.key))].sort()).toEqual(Object.keys(keys.stringData).sort());
    // Placeholders only, marked as such: nothing here is a usable key.
    for (const [name, value] of Object.entries(keys.stringData))
      expect([name, value]).toEqual([name, expect.stringMatching(/^REPLACE_ME-/)]);
    expect(find(manifests, 'Secret')).toEqual([]);
  });

  it("migrates with docker-compose's command, DATABASE_URL from the cluster's Secret, and runs each service as docker-compose does", () => {
    const compose = parse(readFileSync(path.join(ROOT, 'docker-compose.yml'), 'utf8')) as {
      services: Record<string, { command: string[]; image?: string }>;
    };
    const job = one<Workload>(manifests, 'Job', 'nudge-migrate');
    const container = first(job.spec.template.spec.containers, 'migrate container');
    expect(container.command).toEqual(compose.services.migrate?.command);
    expect(container.command?.join(' ')).toContain('migrateDatabase(process.env.DATABASE_URL)');
    expect(container.env?.map((v) => v.name)).toEqual(['DATABASE_URL']);
    // The services as docker-compose runs them: the same commands, and the same image where it names one.
    for (const [name, entry] of Object.entries(compose.services).filter(([, e]) => e.command !== undefined)) {
      const k8s = name === 'migrate' ? container : containerOf(manifests, name);
      expect([name, k8s.command, entry.image ?? IMAGE]).toEqual([name, entry.command, IMAGE]);
    }
  });

  it('declares every topic of the topic plan as a KafkaTopic of the cluster: partitions, compaction, retention', () => {
    const prefixes = SERVICE_NAMES.map(
      (s) =>
        (containerOf(manifests, s).env ?? []).find((v) => v.name === 'NUDGE_TOPIC_PREFIX')?.value ??
        defaultOf(SERVICES[s].shape, 'NUDGE_TOPIC_PREFIX'),
    );
    expect(new Set(prefixes).size).toBe(1);
    const retention = defaultOf(SERVICES.dispatch.shape, 'NUDGE_BODY_TOPIC_RETENTION_MS') as number;
    const plan = topicPlan(new TopicNames(String(prefixes[0])), { bodyRetentionMs: retention });
    const topics = find(manifests, 'KafkaTopic') as (Manifest & {
      spec: { topicName: string; partitions: number; config: Record<string, unknown> };
    })[];
    expect(topics.map((t) => t.spec.topicName).sort()).toEqual(plan.map((p) => p.topic).sort());
    for (const planned of plan) {
      const topic = topics.find((t) => t.spec.topicName === planned.topic) as (typeof topics)[number];
      expect([planned.topic, topic.metadata.labels?.['strimzi.io/cluster'], topic.spec.partitions]).toEqual([
        planned.topic,
        kafka.metadata.name,
        planned.numPartitions,
      ]);
      const config = Object.fromEntries(Object.entries(topic.spec.config).map(([k, v]) => [k, String(v)]));
      for (const entry of planned.configEntries ?? [])
        expect([planned.topic, entry.name, config[entry.name]]).toEqual([planned.topic, entry.name, entry.value]);
      const compacted = (planned.configEntries ?? []).some((e) => e.name === 'cleanup.policy' && e.value === 'compact');
      expect([planned.topic, config['cleanup.policy'] ?? 'delete']).toEqual([planned.topic, compacted ? 'compact' : 'delete']);
    }
    for (const pool of find(manifests, 'KafkaNodePool')) expect(pool.metadata.labels?.['strimzi.io/cluster']).toBe(kafka.metadata.name);
  });

  it("scales each consuming service with KEDA on its consumer group's lag, between one replica and the topic's partitions", () => {
    const configured: { service: ServiceName; group: string; variable: string }[] = [];
    const consumers = consumersInCode(configured);
    expect(consumers.map((c) => `${c.service}:${c.group}`).sort()).toEqual(['dispatch:nudge-dispatch', 'rules:nudge-rules']);
    // ingest reads the producers' own topics only when an operator names them (off by default):
    // their lag is no Nudge topic's, so it is not scaled on one.
    expect(configured).toEqual([{ service: 'ingest', group: 'nudge-ingest', variable: 'INGEST_KAFKA_TOPICS' }]);
    expect(defaultOf(SERVICES.ingest.shape, 'INGEST_KAFKA_TOPICS')).toEqual([]);
    const scaled = find(manifests, 'ScaledObject') as ScaledObject[];
    expect(scaled.map((s) => s.spec.scaleTargetRef.name).sort()).toEqual(consumers.map((c) => c.service).sort());
    for (const consumer of consumers) {
      const names = new TopicNames('');
      const topicName = names.of(consumer.topic);
      const object = scaled.find((s) => s.spec.scaleTargetRef.name === consumer.service) as ScaledObject;
      expect(object.spec.triggers).toHaveLength(1);
      const trigger = first(object.spec.triggers, 'trigger');
      expect([consumer.service, trigger.type, trigger.metadata]).toEqual([
        consumer.service,
        'kafka',
        expect.objectContaining({
          // KEDA's operator lives in another namespace: the broker's name must say which.
          bootstrapServers: `${bootstrapHost}.${object.metadata.namespace}.svc:${listenerPort}`,
          consumerGroup: `${names.prefix}${consumer.group}`,
          topic: topicName,
          lagThreshold: expect.stringMatching(/^\d+$/),
        }),
      ]);
      const partitions = topicPlan(names).find((t) => t.topic === topicName)?.numPartitions ?? 0;
      expect([consumer.service, object.spec.minReplicaCount >= 1, object.spec.maxReplicaCount <= partitions]).toEqual([
        consumer.service,
        true,
        true,
      ]);
      expect(object.spec.maxReplicaCount).toBeGreaterThanOrEqual(object.spec.minReplicaCount);
      // KEDA owns the count: a replicas field would reset it at every apply.
      expect(one<Workload>(manifests, 'Deployment', consumer.service).spec.replicas).toBeUndefined();
    }
  });

  it("mounts the example settings and campaigns, equal to config/'s files, at rules' NUDGE_CONFIG_DIR", () => {
    const settings = one<Manifest & { data: Record<string, string> }>(manifests, 'ConfigMap', 'nudge-config');
    const campaigns = one<Manifest & { data: Record<string, string> }>(manifests, 'ConfigMap', 'nudge-campaigns');
    expect(settings.data).toEqual({ 'settings.yaml': readFileSync(path.join(ROOT, 'config/settings.yaml'), 'utf8') });
    const campaignFiles = readdirSync(path.join(ROOT, 'config/campaigns'));
    expect(campaigns.data).toEqual(
      Object.fromEntries(campaignFiles.map((f) => [f, readFileSync(path.join(ROOT, 'config/campaigns', f), 'utf8')])),
    );

    const rules = one<Workload>(manifests, 'Deployment', 'rules').spec.template.spec;
    const container = first(rules.containers, 'rules container');
    const configDir = container.env?.find((v) => v.name === 'NUDGE_CONFIG_DIR')?.value;
    const mount = container.volumeMounts?.find((m) => m.mountPath === configDir);
    const sources = rules.volumes?.find((v) => v.name === mount?.name)?.projected?.sources ?? [];
    const projected = sources.flatMap((s) => (s.configMap?.items ?? []).map((item) => `${s.configMap?.name}:${item.key}→${item.path}`));
    expect(projected.sort()).toEqual(
      ['nudge-config:settings.yaml→settings.yaml', ...campaignFiles.map((f) => `nudge-campaigns:${f}→campaigns/${f}`)].sort(),
    );
  });

  it('renders as kubectl kustomize does (when kubectl is on this machine)', () => {
    const kubectl = spawnSync('kubectl', ['kustomize', dir], { encoding: 'utf8' });
    if (kubectl.error) {
      console.warn(`kubectl not found: ${dir} not compared with kubectl kustomize`);
      return;
    }
    expect(kubectl.stderr).toBe('');
    const theirs = parseAllDocuments(kubectl.stdout).map((d) => d.toJS() as Manifest);
    const byId = (list: Manifest[]) => Object.fromEntries(list.map((m) => [identityOf(m), m]));
    expect(byId(manifests)).toEqual(byId(theirs));
  });
});

describe('deploy/k8s dev overlay', () => {
  const dev = renderKustomization(path.join(K8S, 'overlays/dev'));
  const base = renderKustomization(path.join(K8S, 'base'));

  it('puts everything in namespace nudge-dev, one replica of each, with smaller resources than the base', () => {
    expect(one(dev, 'Namespace').metadata.name).toBe('nudge-dev');
    expect(dev.filter((m) => m.kind !== 'Namespace' && m.metadata.namespace !== 'nudge-dev')).toEqual([]);
    for (const service of SERVICE_NAMES) {
      const scaled = find(dev, 'ScaledObject', service) as ScaledObject[];
      const replicas =
        scaled.length > 0 ? first(scaled, 'ScaledObject').spec.maxReplicaCount : one<Workload>(dev, 'Deployment', service).spec.replicas;
      expect([service, replicas]).toEqual([service, 1]);
      for (const kind of ['requests', 'limits'] as const) {
        for (const resource of ['cpu', 'memory']) {
          const small = quantity(containerOf(dev, service).resources?.[kind]?.[resource] ?? '');
          expect([service, kind, resource, small <= quantity(containerOf(base, service).resources?.[kind]?.[resource] ?? '')]).toEqual([
            service,
            kind,
            resource,
            true,
          ]);
        }
      }
    }
    expect(one<Manifest & { spec: { instances: number } }>(dev, 'Cluster').spec.instances).toBe(1);
    expect(one<Manifest & { spec: { replicas: number } }>(dev, 'KafkaNodePool').spec.replicas).toBe(1);
    for (const topic of find(dev, 'KafkaTopic') as (Manifest & { spec: { replicas: number } })[]) expect(topic.spec.replicas).toBe(1);
  });
});

describe('the checks themselves', () => {
  it('the schema validation rejects a field of the wrong type and a kind it has no model for', () => {
    const deployment = first(readManifests(path.join(K8S, 'base/ingest.yaml')), 'Deployment');
    const broken = JSON.parse(JSON.stringify(deployment)) as Workload;
    (first(broken.spec.template.spec.containers, 'container').ports as unknown[]) = [{ name: 'http', containerPort: 'three thousand' }];
    const topic = first(readManifests(path.join(K8S, 'base/topics.yaml')), 'KafkaTopic');
    const noPartitions = { ...topic, spec: { ...(topic.spec as object), partitions: 'six' } };
    const failures = schemaFailures([broken, noPartitions, { apiVersion: 'example.com/v1', kind: 'Thing', metadata: { name: 'x' } }]);
    expect(failures.map((f) => f.id)).toEqual([
      'apps/v1 Deployment ingest',
      'kafka.strimzi.io/v1 KafkaTopic nudge.events.v1',
      'example.com/v1 Thing x',
    ]);
  });

  it('the renderer refuses a kustomization field it does not implement', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'nudge-kustomize-'));
    writeFileSync(
      path.join(dir, 'kustomization.yaml'),
      'apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nnamePrefix: x-\n',
    );
    expect(() => renderKustomization(dir)).toThrow('kustomization fields not supported: namePrefix');
  });
});

/** The value a pod would get for `variable`: its literal, a placeholder of the keys' template, or the URL CloudNativePG writes. */
function valueOf(variable: EnvVar, manifests: Manifest[]): string {
  if (variable.value !== undefined) return variable.value;
  const ref = variable.valueFrom?.secretKeyRef;
  const cluster = one<Manifest & { spec: { bootstrap: { initdb: { database: string; owner: string } } } }>(manifests, 'Cluster');
  const placeholder = ref?.name === keys.metadata.name ? keys.stringData[ref.key] : undefined;
  if (placeholder !== undefined) return placeholder;
  if (ref?.name === `${cluster.metadata.name}-app` && ref.key === 'uri') {
    const { database, owner } = cluster.spec.bootstrap.initdb;
    return `postgresql://${owner}:placeholder@${cluster.metadata.name}-rw.${cluster.metadata.namespace}:5432/${database}`;
  }
  throw new Error(`${variable.name}: from a Secret nothing here makes (${JSON.stringify(ref)})`);
}
