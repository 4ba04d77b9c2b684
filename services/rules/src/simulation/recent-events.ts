import { Inject, Injectable } from '@nestjs/common';
import { eventEnvelopeSchema, type EventEnvelope } from '@nudge/contracts';
import { rangesToRead, readRanges, type TopicNames } from '@nudge/kafka';
import { KAFKA, TOPICS } from '@nudge/service-runtime';
import type { Kafka } from 'kafkajs';

/** The newest events of the events topic, and how many of the records read were not events. */
export interface RecentEvents {
  events: EventEnvelope[];
  skipped: number;
}

/** How many records that are not events (poison, dead-lettered by rules) a partition's last `n` may hold. */
const NOT_EVENTS_ALLOWED = 100;

/**
 * The last events rules received, read back from `nudge.events.v1` (nothing is stored for it):
 * the last `n` + 100 records of each partition (a bounded read, given up after `timeoutMs`), kept
 * when they are events, and of those the `n` received last.
 */
@Injectable()
export class RecentEventsReader {
  constructor(
    @Inject(KAFKA) private readonly kafka: Kafka,
    @Inject(TOPICS) private readonly topics: TopicNames,
  ) {}

  async last(n: number, timeoutMs: number): Promise<RecentEvents> {
    const admin = this.kafka.admin();
    await admin.connect();
    try {
      const logs = await admin.fetchTopicOffsets(this.topics.events);
      const perPartition = n + NOT_EVENTS_ALLOWED;
      const wanted = rangesToRead(
        logs,
        (partition) => Number(logs.find((p) => p.partition === partition)?.high ?? 0) - perPartition,
        perPartition,
      );
      const records = await readRanges(this.kafka, admin, this.topics.events, wanted, { timeoutMs, groupPrefix: 'nudge-rules-simulate' });
      return newestEvents(
        records.map((r) => r.value),
        n,
      );
    } finally {
      await admin.disconnect();
    }
  }
}

/** Of these record values, the events (SPEC §3 envelopes), the `n` received last, in the order they were received. */
export function newestEvents(values: (Buffer | null)[], n: number): RecentEvents {
  const events: EventEnvelope[] = [];
  let skipped = 0;
  for (const value of values) {
    const parsed = eventEnvelopeSchema.safeParse(jsonOf(value));
    if (parsed.success) events.push(parsed.data);
    else skipped++;
  }
  events.sort((a, b) => Date.parse(a.receivedAt) - Date.parse(b.receivedAt));
  return { events: events.slice(-n), skipped };
}

function jsonOf(value: Buffer | null): unknown {
  if (value === null) return null;
  try {
    return JSON.parse(value.toString('utf8'));
  } catch {
    return null;
  }
}
