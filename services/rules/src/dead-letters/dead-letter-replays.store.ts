import { Inject, Injectable } from '@nestjs/common';
import { DATA_SOURCE } from '@nudge/service-runtime';
import type { DataSource } from 'typeorm';

/** A replay done through the API, as `dead_letter_replays` keeps it. */
export interface RecordedReplay {
  partition: number;
  offset: string;
  to: string;
  at: string;
  times: number;
}

/** Which dead letters `POST /v1/dead-letters/replay` sent back, per DLQ topic, partition and offset. */
@Injectable()
export class DeadLetterReplaysStore {
  constructor(@Inject(DATA_SOURCE) private readonly dataSource: DataSource) {}

  /** Records these letters as replayed now (again: the count goes up). */
  async record(dlq: string, replays: { partition: number; offset: string; to: string }[]): Promise<void> {
    if (replays.length === 0) return;
    await this.dataSource.query(
      `INSERT INTO dead_letter_replays (dlq_topic, dlq_partition, dlq_offset, replayed_to)
       SELECT $1, r.p, r.o, r.t FROM unnest($2::int[], $3::bigint[], $4::text[]) AS r(p, o, t)
       ON CONFLICT (dlq_topic, dlq_partition, dlq_offset)
       DO UPDATE SET replayed_at = now(), replayed_to = EXCLUDED.replayed_to, times = dead_letter_replays.times + 1`,
      [dlq, replays.map((r) => r.partition), replays.map((r) => r.offset), replays.map((r) => r.to)],
    );
  }

  /** The recorded replays among these letters, keyed `partition:offset`. */
  async find(dlq: string, letters: { partition: number; offset: string }[]): Promise<Map<string, RecordedReplay>> {
    if (letters.length === 0) return new Map();
    const rows: { dlq_partition: number; dlq_offset: string; replayed_to: string; replayed_at: Date; times: number }[] =
      await this.dataSource.query(
        `SELECT d.dlq_partition, d.dlq_offset::text AS dlq_offset, d.replayed_to, d.replayed_at, d.times
       FROM dead_letter_replays d JOIN unnest($2::int[], $3::bigint[]) AS w(p, o) ON d.dlq_partition = w.p AND d.dlq_offset = w.o
       WHERE d.dlq_topic = $1`,
        [dlq, letters.map((l) => l.partition), letters.map((l) => l.offset)],
      );
    return new Map(
      rows.map((r) => [
        `${r.dlq_partition}:${r.dlq_offset}`,
        { partition: r.dlq_partition, offset: r.dlq_offset, to: r.replayed_to, at: r.replayed_at.toISOString(), times: r.times },
      ]),
    );
  }
}
