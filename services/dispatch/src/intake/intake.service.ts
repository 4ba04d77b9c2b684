import { Inject, Injectable } from '@nestjs/common';
import type { SendRequest } from '@nudge/contracts';
import { PoisonRecordError, type ConsumedRecord, type RejectedRecord } from '@nudge/kafka';
import { erasuresOf, ErasureSalt, inTransaction } from '@nudge/persistence';
import { DATA_SOURCE, ServiceMetrics } from '@nudge/service-runtime';
import type { Clock } from '@nudge/timing';
import { InjectPinoLogger, PinoLogger } from 'nestjs-pino';
import type { DataSource } from 'typeorm';
import { CLOCK } from '../clock';
import { DISPATCH_CONFIG, type DispatchConfig } from '../config';
import type { NewMessage } from '../messages/message';
import { MessageStore } from '../messages/message.store';
import type { StatusChange } from '../messages/status-change';
import { StatusEventsOutbox } from '../outbox/status-events.outbox';
import { ActiveProviders } from '../providers/active-providers';
import { confirmLinksFrom } from '../double-opt-in/confirm-links';
import { recipientLinksFrom } from '../recipient-links/recipient-links';
import { ReadyMessagesSignal } from '../sending/ready-messages.signal';
import { SendAtIntake } from '../sending/send-at-intake';
import { DroppedSendsStore } from './dropped-sends.store';
import { splitByErasure } from './erased-senders';
import { MessageComposer } from './message-composer';

/**
 * Turns a batch of send requests into stored messages: compose (provider chosen, address
 * checked, body rendered with its tracked links, counted) → drop those of erased users
 * (recorded without personal data, never sent) → insert the rest in one statement,
 * skipping send ids already stored (a replay creates nothing, links included) → write the
 * failures of messages that could not be composed to the outbox → commit → send at once the
 * messages inserted leased (SendAtIntake: those a send slot, the rate limits and the
 * breakers allow), ring the sender for the other queued ones, and the outbox relay.
 */
@Injectable()
export class IntakeService {
  private readonly composer: MessageComposer;

  constructor(
    @Inject(DATA_SOURCE) private readonly dataSource: DataSource,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(DISPATCH_CONFIG) config: DispatchConfig,
    private readonly store: MessageStore,
    private readonly outbox: StatusEventsOutbox,
    private readonly providers: ActiveProviders,
    private readonly readyMessages: ReadyMessagesSignal,
    private readonly sendAtIntake: SendAtIntake,
    private readonly erasureSalt: ErasureSalt,
    private readonly droppedSends: DroppedSendsStore,
    private readonly metrics: ServiceMetrics,
    @InjectPinoLogger('intake') private readonly logger: PinoLogger,
  ) {
    this.composer = new MessageComposer({
      publicUrl: config.PUBLIC_URL,
      recipientLinks: recipientLinksFrom(config),
      confirmLinks: confirmLinksFrom(config),
    });
  }

  /** Answers the records that can never become a message (they go to the DLQ). */
  async accept(records: ConsumedRecord<SendRequest>[]): Promise<RejectedRecord<SendRequest>[]> {
    const { messages, rejected } = await this.composeAll(firstOfEachSend(records));
    const at = this.clock.now().toISOString();
    const salt = await this.erasureSalt.get();
    const lease = this.sendAtIntake.lease(messages);
    const inserted = await inTransaction(this.dataSource, async (manager) => {
      // Under the users' shared erasure locks: an erasure committed before is seen here, a later one waits for this commit.
      const { kept, dropped } = splitByErasure(
        messages,
        await erasuresOf(
          manager,
          salt,
          messages.map((m) => m.request.userId),
        ),
      );
      await this.droppedSends.record(manager, dropped, salt, at);
      const rows = await this.store.insertNew(manager, kept, at, lease);
      const insertedIds = new Set(rows.map((row) => row.id));
      await this.outbox.add(
        manager,
        kept.filter((m) => m.status === 'failed' && insertedIds.has(m.id)).map((m) => failureOf(m, at)),
      );
      return { rows, dropped };
    }).catch((error: unknown) => {
      if (lease) this.sendAtIntake.abandon(lease);
      throw error;
    });
    const sending = lease ? this.sendAtIntake.send(lease, messages, new Set(inserted.rows.map((row) => row.id)), at) : new Set();
    this.outbox.committed();
    this.timeQueued(messages, inserted.rows, at);
    for (const message of inserted.dropped) {
      this.logger.info(
        { sendId: message.request.sendId, campaignId: message.request.campaignId },
        'send request of an erased user dropped',
      );
    }
    if (inserted.rows.some((row) => row.status === 'queued' && !sending.has(row.id))) this.readyMessages.ring();
    return rejected;
  }

  /** `decided_to_queued` of the messages this batch stored (not those a replay found stored). */
  private timeQueued(messages: NewMessage[], rows: { sendId: string }[], at: string): void {
    const stored = new Set(rows.map((row) => row.sendId));
    const storedAt = Date.parse(at);
    for (const message of messages) {
      if (stored.has(message.request.sendId)) this.metrics.observeStage('decided_to_queued', message.request.decidedAt, storedAt);
    }
  }

  private async composeAll(records: ConsumedRecord<SendRequest>[]) {
    const messages: NewMessage[] = [];
    const rejected: RejectedRecord<SendRequest>[] = [];
    const registry = this.providers.registry();
    const composed = await Promise.allSettled(
      records.map((record) => this.composer.compose(record.value, registry.forChannel(record.value.channel))),
    );
    composed.forEach((outcome, i) => {
      const record = records[i]!;
      if (outcome.status === 'rejected') {
        const reason = outcome.reason instanceof Error ? outcome.reason.message : String(outcome.reason);
        rejected.push({ record, error: new PoisonRecordError(`could not compose the message: ${reason}`, 'compose_failed') });
        return;
      }
      const { message, missingVariables } = outcome.value;
      if (missingVariables.length > 0) {
        this.logger.warn(
          { sendId: record.value.sendId, campaignId: record.value.campaignId, missingVariables },
          'template variables missing; rendered empty',
        );
      }
      if (message.status === 'failed') {
        this.logger.warn(
          { sendId: record.value.sendId, campaignId: record.value.campaignId, reason: message.failureReason },
          'message failed at intake',
        );
      }
      messages.push(message);
    });
    return { messages, rejected };
  }
}

/** A send id twice in one batch is a replay: the first one stands. */
function firstOfEachSend(records: ConsumedRecord<SendRequest>[]): ConsumedRecord<SendRequest>[] {
  const seen = new Set<string>();
  return records.filter((record) => !seen.has(record.value.sendId) && seen.add(record.value.sendId));
}

function failureOf(message: NewMessage, at: string): StatusChange {
  const { request } = message;
  return {
    message: {
      id: message.id,
      sendId: request.sendId,
      userId: request.userId,
      campaignId: request.campaignId,
      stepId: request.stepId,
      channel: request.channel,
      provider: message.provider,
    },
    status: 'failed',
    at,
    ...(message.failureReason === null ? {} : { reason: message.failureReason }),
  };
}
