import type { INestApplication } from '@nestjs/common';
import { mkdtempSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { TopicNames } from '@nudge/kafka';
import { ApiClient } from './http-client';
import { createTestDatabase, testKafkaBrokers, uniqueTopicPrefix, type TestDatabase } from './test-database';

export type ServiceName = 'ingest' | 'rules' | 'dispatch';

/** Builds a service's Nest app from an environment, as its main.ts does. */
export type AppFactory = (env: Record<string, string | undefined>) => Promise<INestApplication>;

export interface StackOptions {
  factories: Partial<Record<ServiceName, AppFactory>>;
  /** NUDGE_CONFIG_DIR for the stack (campaign files, settings). */
  configDir?: string;
  env?: Record<string, string>;
  label?: string;
}

/**
 * The services running in this process against the run's real Kafka and a database of
 * their own, with a topic prefix of their own: test files never see each other's data.
 */
export class TestStack {
  private readonly apps = new Map<ServiceName, INestApplication>();
  private readonly urls = new Map<ServiceName, string>();

  private constructor(
    private readonly options: StackOptions,
    readonly database: TestDatabase,
    readonly env: Record<string, string>,
    readonly topics: TopicNames,
  ) {}

  static async start(options: StackOptions): Promise<TestStack> {
    const label = options.label ?? 'stack';
    const database = await createTestDatabase(label);
    const topicPrefix = uniqueTopicPrefix(label);
    const env: Record<string, string> = {
      KAFKA_BROKERS: testKafkaBrokers(),
      DATABASE_URL: database.url,
      NUDGE_TOPIC_PREFIX: topicPrefix,
      LOG_LEVEL: process.env.NUDGE_TEST_LOG_LEVEL ?? 'warn',
      // Tests point providers at local fakes; production refuses a baseUrl off the provider's API.
      NUDGE_ALLOW_PROVIDER_BASE_URL: '1',
      // No config directory unless the test names one: the repo's config/ stays out of it.
      NUDGE_CONFIG_DIR: options.configDir ?? mkdtempSync(path.join(tmpdir(), 'nudge-no-config-')),
      ...options.env,
    };
    const stack = new TestStack(options, database, env, new TopicNames(topicPrefix));
    try {
      for (const name of Object.keys(options.factories) as ServiceName[]) await stack.startService(name);
    } catch (error) {
      await stack.stop();
      throw error;
    }
    return stack;
  }

  get brokers(): string {
    return this.env.KAFKA_BROKERS as string;
  }

  /** A client for a running service. */
  client(name: ServiceName, apiKey = this.env.NUDGE_API_KEY): ApiClient {
    const url = this.urls.get(name);
    if (!url) throw new Error(`${name} is not running in this stack`);
    return new ApiClient(url, apiKey);
  }

  /** The running Nest app of a service, to reach its providers in a test. */
  app(name: ServiceName): INestApplication {
    const app = this.apps.get(name);
    if (!app) throw new Error(`${name} is not running in this stack`);
    return app;
  }

  url(name: ServiceName): string {
    const url = this.urls.get(name);
    if (!url) throw new Error(`${name} is not running in this stack`);
    return url;
  }

  async startService(name: ServiceName, extraEnv: Record<string, string> = {}): Promise<void> {
    const factory = this.options.factories[name];
    if (!factory) throw new Error(`no factory for ${name}`);
    if (this.apps.has(name)) throw new Error(`${name} is already running`);
    // A restarted service gets its old port back, as it would in production.
    const previous = this.urls.get(name);
    const port = previous ? Number(new URL(previous).port) : 0;
    const app = await factory({ ...this.env, ...extraEnv });
    await app.listen(port, '127.0.0.1');
    const address = app.getHttpServer().address() as AddressInfo;
    this.apps.set(name, app);
    this.urls.set(name, `http://127.0.0.1:${address.port}`);
  }

  /** Stops a service the way SIGTERM would: consumers commit, timers are released. */
  async stopService(name: ServiceName): Promise<void> {
    const app = this.apps.get(name);
    if (!app) return;
    this.apps.delete(name);
    await app.close();
  }

  async stop(): Promise<void> {
    for (const name of [...this.apps.keys()].reverse()) await this.stopService(name);
    await this.database.drop().catch(() => undefined);
  }
}
