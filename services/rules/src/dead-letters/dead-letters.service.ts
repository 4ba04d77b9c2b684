import { Inject, Injectable } from '@nestjs/common';
import { NotFoundError, ServiceUnavailableError, TOPICS as TOPIC_KEYS, ValidationError, type TopicKey } from '@nudge/contracts';
import {
  rangesToRead,
  readRanges,
  ReadTimeoutError,
  replayedUpTo,
  republish,
  resolveDlqTopics,
  type DlqTopics,
  type JsonProducer,
  type OffsetRange,
  type TopicNames,
} from '@nudge/kafka';
import { KAFKA, PRODUCER, TOPICS } from '@nudge/service-runtime';
import type { Admin, Kafka } from 'kafkajs';
import { nextCursorOf, offsetsByPartition, type DeadLettersQuery, type LetterRef } from './dead-letter-requests';
import { DeadLetterReplaysStore } from './dead-letter-replays.store';
import { deadLetterView, type DeadLetterView, type ReplayMark } from './dead-letter-view';

/** How long reading a DLQ for one request may take. */
export const DLQ_READ_TIMEOUT_MS = 10_000;

export interface DeadLetterPage {
  topic: string;
  sourceTopic: string;
  items: DeadLetterView[];
  nextCursor: string | null;
}

export interface ReplayResult {
  topic: string;
  replayed: { partition: number; offset: string; to: string }[];
  skipped: { partition: number; offset: string; reason: string }[];
}

/**
 * The dead letters of Nudge's topics, read from `<topic>.dlq` with kafkajs (every read bounded
 * in records and time), and their replay: the same republishing as `nudge dlq replay`
 * (`@nudge/kafka`'s `republish`), recorded per letter in `dead_letter_replays`.
 */
@Injectable()
export class DeadLetters {
  constructor(
    @Inject(KAFKA) private readonly kafka: Kafka,
    @Inject(PRODUCER) private readonly producer: JsonProducer,
    @Inject(TOPICS) private readonly topics: TopicNames,
    private readonly replays: DeadLetterReplaysStore,
  ) {}

  /** A page of a DLQ's letters, oldest first, each with whether it was replayed. */
  async list(query: DeadLettersQuery): Promise<DeadLetterPage> {
    return this.withAdmin(async (admin) => {
      const topics = await this.dlqOf(admin, query.topic, ['query', 'topic']);
      const logs = await admin.fetchTopicOffsets(topics.dlq);
      const startOf = (partition: number) => Number(query.from.get(partition) ?? 0);
      const wanted = rangesToRead(logs, startOf, query.limit);
      const letters = (await this.read(admin, topics.dlq, wanted)).slice(0, query.limit);
      const [recorded, cliUpTo] = await Promise.all([this.replays.find(topics.dlq, letters), replayedUpTo(admin, topics.dlq)]);
      const markOf = (partition: number, offset: string): ReplayMark | null => {
        const api = recorded.get(`${partition}:${offset}`);
        if (api) return { by: 'api', at: api.at, to: api.to, times: api.times };
        const upTo = cliUpTo.get(partition);
        return upTo !== undefined && BigInt(offset) < BigInt(upTo) ? { by: 'cli' } : null;
      };
      const next = new Map(logs.map((p) => [p.partition, String(Math.max(Number(p.low), startOf(p.partition)))]));
      for (const letter of letters) next.set(letter.partition, String(BigInt(letter.offset) + 1n));
      return {
        topic: topics.dlq,
        sourceTopic: topics.source,
        items: letters.map((letter) => deadLetterView(letter, markOf(letter.partition, letter.offset))),
        nextCursor: nextCursorOf(next, new Map(logs.map((p) => [p.partition, p.high]))),
      };
    });
  }

  /**
   * Publishes these letters again to the topics they came from, as `nudge dlq replay` does, and
   * records each as replayed. Every letter must exist (404 naming it otherwise, nothing published);
   * a letter that does not say where it came from is skipped with the reason.
   */
  async replay(request: { topic: string; letters: LetterRef[] }): Promise<ReplayResult> {
    return this.withAdmin(async (admin) => {
      const topics = await this.dlqOf(admin, request.topic, ['topic']);
      const logs = new Map((await admin.fetchTopicOffsets(topics.dlq)).map((p) => [p.partition, p]));
      const wanted = new Map<number, OffsetRange>();
      for (const [partition, offsets] of offsetsByPartition(request.letters)) {
        const log = logs.get(partition);
        const missing = offsets.find((o) => !log || o < BigInt(log.low) || o >= BigInt(log.high));
        if (missing !== undefined) throw new NotFoundError(`${topics.dlq} has no dead letter at partition ${partition}, offset ${missing}`);
        const start = offsets.reduce((min, o) => (o < min ? o : min));
        const end = offsets.reduce((max, o) => (o > max ? o : max)) + 1n;
        wanted.set(partition, { start: Number(start), end: Number(end) });
      }
      const named = new Set(request.letters.map((l) => `${l.partition}:${l.offset}`));
      const letters = (await this.read(admin, topics.dlq, wanted)).filter((l) => named.has(`${l.partition}:${l.offset}`));
      const found = new Set(letters.map((l) => `${l.partition}:${l.offset}`));
      const gone = request.letters.find((l) => !found.has(`${l.partition}:${l.offset}`));
      if (gone) throw new NotFoundError(`${topics.dlq} has no dead letter at partition ${gone.partition}, offset ${gone.offset}`);
      const { replays, skipped } = await republish(this.producer, topics.dlq, letters);
      const replayed = replays.map((r) => ({ partition: r.letter.partition, offset: r.letter.offset, to: r.topic }));
      await this.replays.record(topics.dlq, replayed);
      return {
        topic: topics.dlq,
        replayed,
        skipped: skipped.map((l) => ({
          partition: l.partition,
          offset: l.offset,
          reason: 'no source topic header: cannot tell where it belongs',
        })),
      };
    });
  }

  /**
   * The DLQ a request names, or a 400 naming the field: the DLQ of one of Nudge's topics
   * (`events`, `nudge.events.v1`, `nudge.events.v1.dlq`, with this stack's prefix), or that of
   * another topic Nudge reads (an intake topic of ingest's INGEST_KAFKA_TOPICS) when both the
   * topic and its DLQ exist on the brokers.
   */
  private async dlqOf(admin: Admin, name: string, path: string[]): Promise<DlqTopics> {
    const own = resolveDlqTopics(name, this.topics.prefix);
    const ownSources = (Object.keys(TOPIC_KEYS) as TopicKey[]).map((key) => this.topics.of(key));
    const existing = new Set(await admin.listTopics());
    if (ownSources.includes(own.source)) {
      if (!existing.has(own.dlq)) throw new NotFoundError(`no dead-letter topic ${own.dlq} on the brokers yet`);
      return own;
    }
    const base = name.endsWith('.dlq') ? name.slice(0, -'.dlq'.length) : name;
    if (existing.has(base) && existing.has(`${base}.dlq`)) return { source: base, dlq: `${base}.dlq` };
    const message = `is not a Nudge dead-letter topic: name one of ${Object.keys(TOPIC_KEYS).join(', ')} (or its topic or DLQ name), or an intake topic whose DLQ exists`;
    throw new ValidationError(`invalid ${path.join('.')}: ${message}`, [{ path: path.join('.'), message }]);
  }

  private read(admin: Admin, dlq: string, wanted: Map<number, OffsetRange>) {
    return readRanges(this.kafka, admin, dlq, wanted, { timeoutMs: DLQ_READ_TIMEOUT_MS, groupPrefix: 'nudge-rules-dlq' });
  }

  private async withAdmin<T>(work: (admin: Admin) => Promise<T>): Promise<T> {
    const admin = this.kafka.admin();
    try {
      await admin.connect();
      return await work(admin);
    } catch (error) {
      // Kafka unreachable, or a read that did not finish in its time: the request may be sent again as it was.
      if (error instanceof ReadTimeoutError || (error instanceof Error && error.name.startsWith('KafkaJS'))) {
        throw new ServiceUnavailableError(`Kafka cannot serve the dead letters now: ${error.message}`, { cause: error });
      }
      throw error;
    } finally {
      await admin.disconnect();
    }
  }
}
