/** Where one consumed partition stands: its lag and when its committed position last moved. */
export interface PartitionProgress {
  topic: string;
  partition: number;
  /** Records not yet handled, as of the last batch fetched or slice committed. */
  lag: number;
  /** When the partition was first seen with work, or last advanced (ms since the epoch). */
  advancedAt: number;
}

/** A partition that has had work and not advanced for longer than the threshold. */
export interface StalledPartition {
  topic: string;
  partition: number;
  lag: number;
  stalledForSeconds: number;
}

/** Default of NUDGE_CONSUMER_STALL_SECONDS: how long a partition with lag may go without advancing. */
export const DEFAULT_CONSUMER_STALL_SECONDS = 120;

/**
 * The partitions that are stalled at `now`: lag above zero and no advance for more than
 * `thresholdSeconds`. A partition without lag is idle, never stalled.
 */
export function stalledPartitions(partitions: Iterable<PartitionProgress>, now: number, thresholdSeconds: number): StalledPartition[] {
  const stalled: StalledPartition[] = [];
  for (const p of partitions) {
    const idleMs = now - p.advancedAt;
    if (p.lag > 0 && idleMs > thresholdSeconds * 1000) {
      stalled.push({ topic: p.topic, partition: p.partition, lag: p.lag, stalledForSeconds: Math.floor(idleMs / 1000) });
    }
  }
  return stalled;
}

/**
 * The progress of a service's consumed partitions, fed by a batch consumer's hooks: a batch
 * fetched with work starts the clock if the partition was idle; a committed slice moves it.
 */
export class ConsumerProgress {
  private readonly partitions = new Map<string, PartitionProgress>();

  constructor(private readonly now: () => number = Date.now) {}

  /** A batch arrived: `lag` records from its first one to the end of the partition. */
  fetched(topic: string, partition: number, lag: number): void {
    const entry = this.partitions.get(`${topic}/${partition}`);
    if (entry && entry.lag > 0) {
      entry.lag = Math.max(entry.lag, lag);
      return;
    }
    this.partitions.set(`${topic}/${partition}`, { topic, partition, lag, advancedAt: this.now() });
  }

  /** A slice was handled and committed; `lag` records remain. */
  advanced(topic: string, partition: number, lag: number): void {
    this.partitions.set(`${topic}/${partition}`, { topic, partition, lag, advancedAt: this.now() });
  }

  /** The group gave this member `assignment` (topic → partitions): the others are another member's concern. */
  assigned(assignment: Record<string, number[]>): void {
    for (const [key, entry] of this.partitions) {
      if (!(assignment[entry.topic] ?? []).includes(entry.partition)) this.partitions.delete(key);
    }
  }

  /** The partitions stalled for more than `thresholdSeconds`. */
  stalled(thresholdSeconds: number): StalledPartition[] {
    return stalledPartitions(this.partitions.values(), this.now(), thresholdSeconds);
  }
}
