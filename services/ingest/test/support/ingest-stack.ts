import type { INestApplication } from '@nestjs/common';
import { createIngestApp } from '@nudge/ingest';
import { readTopic, TestStack, type ApiClient, type ReadRecord } from '@nudge/testing';

/** ingest alone on the run's Kafka, with a database and topic prefix of its own. */
export function startIngest(label: string, env: Record<string, string> = {}): Promise<TestStack> {
  return TestStack.start({ factories: { ingest: createIngestApp }, label, env });
}

/** Like `startIngest`, also handing back the Nest app (to reach its providers). */
export async function startIngestWithApp(label: string): Promise<{ stack: TestStack; app: () => INestApplication }> {
  let app: INestApplication | undefined;
  const stack = await TestStack.start({
    factories: { ingest: async (env) => (app = await createIngestApp(env)) },
    label,
  });
  return { stack, app: () => app as INestApplication };
}

/** Posts a marker event for `userId`: everything ingest published for that user before it comes first. */
export async function postMarker(ingest: ApiClient, userId: string): Promise<string> {
  const eventId = `marker-${userId}-${Date.now()}`;
  const posted = await ingest.post('/v1/events', { eventId, userId, name: 'test_marker' });
  if (posted.status !== 202) throw new Error(`marker for ${userId} answered ${posted.status}`);
  return eventId;
}

/**
 * The events topic records of one user up to the marker (excluded). One user's records
 * share a partition, so anything published before the marker has been read by then:
 * no guessed quiet period is needed to say "nothing else was published".
 */
export async function eventsBeforeMarker(stack: TestStack, userId: string, markerId: string): Promise<ReadRecord[]> {
  const isMarker = (r: ReadRecord) => r.key === userId && r.value?.eventId === markerId;
  const records = await readTopic(stack.brokers, stack.topics.events, { until: (read) => read.some(isMarker), timeoutMs: 30_000 });
  const mine = records.filter((r) => r.key === userId);
  const end = mine.findIndex(isMarker);
  if (end < 0) throw new Error(`the marker event for ${userId} never arrived on ${stack.topics.events}`);
  return mine.slice(0, end);
}

/** The profiles topic records of one user, once `until` holds for them. */
export async function profileRecordsOf(stack: TestStack, userId: string, until: (records: ReadRecord[]) => boolean): Promise<ReadRecord[]> {
  const mine = (records: ReadRecord[]) => records.filter((r) => r.key === userId);
  const records = mine(await readTopic(stack.brokers, stack.topics.profiles, { until: (read) => until(mine(read)), timeoutMs: 30_000 }));
  if (!until(records)) throw new Error(`the profile records of ${userId} never arrived: ${JSON.stringify(records.map((r) => r.value))}`);
  return records;
}
