import { Controller, Get, HttpException, Inject, ServiceUnavailableException } from '@nestjs/common';
import { HealthCheck, HealthCheckService, HealthIndicatorService } from '@nestjs/terminus';
import type { Admin, Kafka } from 'kafkajs';
import type { DataSource } from 'typeorm';
import { ApiAuth } from './api-auth';
import type { RuntimeConfig } from './config';
import { DEFAULT_CONSUMER_STALL_SECONDS } from './consumer-progress';
import { ServiceMetrics } from './metrics';
import { Public } from './route-access';
import { DATA_SOURCE, KAFKA, SERVICE_CONFIG } from './tokens';

const CHECK_TIMEOUT_MS = 2_000;

/**
 * Probes, public (they have no key):
 * - `GET /health/live`: 200 whenever the process answers; checks nothing else, so a lost
 *   broker or database never gets a process restarted (Kubernetes' liveness probe).
 * - `GET /health/ready`: 200 when Kafka and Postgres answer and no consumed partition is
 *   stalled (lag above zero and no advance for NUDGE_CONSUMER_STALL_SECONDS), 503 otherwise
 *   (Terminus), with `auth` `"on"` or `"off"` (no key configured: every route is open).
 *   Kubernetes' readiness probe: traffic stops while it fails.
 * - `GET /health`: the same as `/health/ready` (what scripts and users have called all along).
 */
@Controller()
export class HealthController {
  private admin: Admin | null = null;

  constructor(
    private readonly health: HealthCheckService,
    private readonly indicators: HealthIndicatorService,
    @Inject(DATA_SOURCE) private readonly dataSource: DataSource,
    @Inject(KAFKA) private readonly kafka: Kafka,
    private readonly auth: ApiAuth,
    private readonly metrics: ServiceMetrics,
    @Inject(SERVICE_CONFIG) private readonly config: RuntimeConfig,
  ) {}

  @Get('health/live')
  @Public()
  @HealthCheck()
  live() {
    return { status: 'ok' };
  }

  @Get('health/ready')
  @Public()
  @HealthCheck()
  ready() {
    return this.check();
  }

  @Get('health')
  @Public()
  @HealthCheck()
  async check() {
    const auth = this.auth.enabled ? 'on' : 'off';
    try {
      return { ...(await this.health.check([() => this.database(), () => this.broker(), () => this.consumers()])), auth };
    } catch (error) {
      const report = error instanceof HttpException ? error.getResponse() : null;
      if (typeof report === 'object' && report !== null) throw new ServiceUnavailableException({ ...report, auth });
      throw error;
    }
  }

  private async database() {
    const indicator = this.indicators.check('database');
    try {
      await withTimeout(this.dataSource.query('SELECT 1'), CHECK_TIMEOUT_MS);
      return indicator.up();
    } catch (error) {
      return indicator.down({ message: (error as Error).message });
    }
  }

  /** Down while a consumed partition has lag and has not advanced for the stall threshold. */
  private consumers() {
    const indicator = this.indicators.check('consumers');
    const thresholdSeconds = this.config.NUDGE_CONSUMER_STALL_SECONDS ?? DEFAULT_CONSUMER_STALL_SECONDS;
    const stalled = this.metrics.consumerProgress.stalled(thresholdSeconds);
    return stalled.length === 0 ? indicator.up() : indicator.down({ thresholdSeconds, stalled });
  }

  private async broker() {
    const indicator = this.indicators.check('kafka');
    try {
      this.admin ??= this.kafka.admin();
      await withTimeout(this.admin.connect(), CHECK_TIMEOUT_MS);
      const cluster = await withTimeout(this.admin.describeCluster(), CHECK_TIMEOUT_MS);
      return indicator.up({ brokers: cluster.brokers.length });
    } catch (error) {
      const admin = this.admin;
      this.admin = null; // reconnect from scratch next time
      void admin?.disconnect().catch(() => undefined);
      return indicator.down({ message: (error as Error).message });
    }
  }

  async onModuleDestroy(): Promise<void> {
    await this.admin?.disconnect().catch(() => undefined);
  }
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
