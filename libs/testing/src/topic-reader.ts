import { randomBytes } from 'node:crypto';
import { Kafka, logLevel } from 'kafkajs';
import type { UncheckedBody } from './http-client';

export interface ReadRecord {
  key: string | null;
  value: UncheckedBody;
  headers: Record<string, string>;
  partition: number;
  offset: string;
}

/**
 * Reads a topic from the beginning with a throwaway consumer group until `until`
 * holds for what was read (or `timeoutMs` passes), and returns what was read.
 */
export async function readTopic(
  brokers: string,
  topic: string,
  options: { until?: (records: ReadRecord[]) => boolean; timeoutMs?: number; quietMs?: number } = {},
): Promise<ReadRecord[]> {
  const kafka = new Kafka({ brokers: brokers.split(','), clientId: 'nudge-test-reader', logLevel: logLevel.NOTHING });
  const consumer = kafka.consumer({ groupId: `test-reader-${randomBytes(4).toString('hex')}`, maxWaitTimeInMs: 100 });
  const records: ReadRecord[] = [];
  const timeoutMs = options.timeoutMs ?? 15_000;
  const quietMs = options.quietMs ?? 1_500;
  await consumer.connect();
  try {
    await consumer.subscribe({ topics: [topic], fromBeginning: true });
    let lastArrival = Date.now();
    await consumer.run({
      eachMessage: async ({ message, partition }) => {
        lastArrival = Date.now();
        const text = message.value?.toString('utf8') ?? null;
        let value: unknown = text;
        try {
          value = text === null ? null : JSON.parse(text);
        } catch {
          // keep raw text
        }
        const headers = Object.fromEntries(Object.entries(message.headers ?? {}).map(([k, v]) => [k, v?.toString() ?? '']));
        records.push({ key: message.key?.toString() ?? null, value, headers, partition, offset: message.offset });
      },
    });
    const started = Date.now();
    for (;;) {
      const now = Date.now();
      if (options.until ? options.until(records) : now - lastArrival >= quietMs && now - started >= quietMs) break;
      if (now - started > timeoutMs) break;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    return records;
  } finally {
    await consumer.disconnect();
  }
}
