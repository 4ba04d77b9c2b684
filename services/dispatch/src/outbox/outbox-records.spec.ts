import { TopicNames } from '@nudge/kafka';
import type { StatusChange } from '../messages/status-change';
import { outboxRecordsOf, topicBatchesOf, type StoredOutboxRecord } from './outbox-records';

const message = {
  id: '6f1c1c8e-58a4-4a43-a0f5-0a4f3c6b7d11',
  sendId: 'snd_1',
  userId: 'u1',
  campaignId: 'c1',
  stepId: 'main',
  channel: 'sms' as const,
  provider: 'sandbox',
};
const at = '2026-11-23T10:30:00.000Z';

describe('outboxRecordsOf', () => {
  it('writes each change as one record with its delivery update and its event, in order, keyed by user', () => {
    const changes: StatusChange[] = [
      { message, status: 'sent', at },
      { message, status: 'delivered', at },
    ];
    const records = outboxRecordsOf(changes);
    expect(records.map((r) => [r.key, r.delivery?.status, r.event?.name])).toEqual([
      ['u1', 'sent', 'message_sent'],
      ['u1', 'delivered', 'message_delivered'],
    ]);
    expect(records[0]?.event?.eventId).toBe(`${message.id}:sent`);
  });

  it('a status with no event (expired) has only its delivery update; an extra event only its event', () => {
    const reply = outboxRecordsOf([], [{ eventId: 'x:replied:1', userId: 'u2' } as never]);
    expect(outboxRecordsOf([{ message, status: 'expired', at }])[0]).toMatchObject({ delivery: { status: 'expired' }, event: null });
    expect(reply).toEqual([{ key: 'u2', delivery: null, event: { eventId: 'x:replied:1', userId: 'u2' } }]);
  });

  it('gives a change written twice the same event id (consumers dedupe it)', () => {
    const change: StatusChange = { message, status: 'sent', at };
    expect(outboxRecordsOf([change])).toEqual(outboxRecordsOf([change]));
  });
});

describe('topicBatchesOf', () => {
  it('makes one batch per topic for one producer call, each in outbox order', () => {
    const topics = new TopicNames('t.');
    const stored: StoredOutboxRecord[] = [
      { seq: '10', key: 'u1', delivery: { n: 10 } as never, event: { n: 10 } as never },
      { seq: '9', key: 'u1', delivery: null, event: { n: 9 } as never },
      { seq: '8', key: 'u1', delivery: { n: 8 } as never, event: null },
    ];
    expect(topicBatchesOf(stored, topics)).toEqual([
      {
        topic: topics.deliveries,
        records: [
          { key: 'u1', value: { n: 8 } },
          { key: 'u1', value: { n: 10 } },
        ],
      },
      {
        topic: topics.events,
        records: [
          { key: 'u1', value: { n: 9 } },
          { key: 'u1', value: { n: 10 } },
        ],
      },
    ]);
  });
});
