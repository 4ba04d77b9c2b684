import { Inject, Injectable } from '@nestjs/common';
import type { Effects } from '@nudge/engine';
import type { JsonProducer, TopicNames } from '@nudge/kafka';
import { PRODUCER, RecordTraces, ServiceMetrics, TOPICS } from '@nudge/service-runtime';
import type { Counter } from 'prom-client';
import type { EntityManager } from 'typeorm';
import { effectsStatement } from './effects-statement';

/**
 * The one writer of what the engine planned (`Effects`): inside the caller's transaction, with
 * the users locked, it writes the rows in one statement that keeps one fixed order — conversions,
 * cancelled then new pending sends, journey runs, cap ledger, touches, attributions, opt-ins
 * asked, and last the decision log, of which it is the only writer (`effectsStatement`) — while
 * the send requests are published side by side; the caller commits only when both are done, so a failure of either rolls the batch back
 * (dispatch's unique send id absorbs a re-publish). After the commit, `committed` counts the
 * decisions.
 */
@Injectable()
export class EffectsWriter {
  private readonly byOutcome: Counter<'outcome'>;

  constructor(
    @Inject(PRODUCER) private readonly producer: JsonProducer,
    @Inject(TOPICS) private readonly topics: TopicNames,
    metrics: ServiceMetrics,
    private readonly traces: RecordTraces,
  ) {
    this.byOutcome = metrics.counter('nudge_decisions_total', 'Decisions recorded, by outcome', ['outcome']);
  }

  /**
   * Both sides are waited for even when one fails: a failed publish must not let the transaction
   * roll back while a row is still being written, or the statement queued behind the ROLLBACK on
   * the same connection would run outside it and commit alone (a decision logged for a send
   * that then rolled back, written again on every retry).
   */
  async write(manager: EntityManager, effects: Effects): Promise<void> {
    const [published, written] = await Promise.allSettled([
      this.producer.publish(
        this.topics.dispatch,
        // Each request continues its trigger event's trace (when tracing is on).
        effects.requests.map((request) => ({
          key: request.userId,
          value: request,
          headers: this.traces.headersOf(request.triggerEventId),
        })),
      ),
      this.writeRows(manager, effects),
    ]);
    if (published.status === 'rejected') throw published.reason;
    if (written.status === 'rejected') throw written.reason;
  }

  /** Counts what was committed (call after the transaction). */
  committed(effects: Pick<Effects, 'decisions'>): void {
    for (const d of effects.decisions) this.byOutcome.inc({ outcome: d.outcome });
  }

  /** The rows in one statement (`effectsStatement`): one round trip, the fixed order kept inside it. */
  private async writeRows(manager: EntityManager, effects: Effects): Promise<void> {
    const statement = effectsStatement(effects);
    if (statement) await manager.query(statement.sql, statement.params);
  }
}
