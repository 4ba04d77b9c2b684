import { TopicNames } from '@nudge/kafka';
import { KEYWORD_REPLY_CAMPAIGN, type StoredMessage } from '../messages/message';
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
const topics = new TopicNames('t.');
const stored = (seq: string, change: StatusChange, eventOnly = false): StoredOutboxRecord => ({ seq, change, eventOnly });

describe('outboxRecordsOf', () => {
  it('keeps only the message fields its records need, changes first, then events that are no change', () => {
    const full = { ...message, body: 'Hi Ana', recipient: '+34600000001', statusHistory: [] } as unknown as StoredMessage;
    const records = outboxRecordsOf(
      [{ message: full, status: 'sent', at }],
      [{ message: full, status: 'replied', at, event: { id: `${message.id}:replied:i2`, properties: { text: 'yes' } } }],
    );
    expect(records).toEqual([
      { change: { message, status: 'sent', at }, eventOnly: false },
      {
        change: { message, status: 'replied', at, event: { id: `${message.id}:replied:i2`, properties: { text: 'yes' } } },
        eventOnly: true,
      },
    ]);
  });
});

describe('outboxRecordsOf: STOP and START confirmations', () => {
  it('writes none of their records: they are no campaign message, nothing downstream counts them', () => {
    const confirmation = { ...message, campaignId: KEYWORD_REPLY_CAMPAIGN };
    const records = outboxRecordsOf([
      { message: confirmation, status: 'sent', at },
      { message, status: 'sent', at },
    ]);
    expect(records).toEqual([{ change: { message, status: 'sent', at }, eventOnly: false }]);
  });
});

describe('topicBatchesOf', () => {
  it('renders each change as its delivery update and its event, per topic in outbox order, keyed by user', () => {
    const batches = topicBatchesOf(
      [stored('10', { message, status: 'delivered', at }), stored('9', { message, status: 'sent', at })],
      topics,
    );
    expect(batches.map((b) => b.topic)).toEqual([topics.deliveries, topics.events]);
    expect(batches[0]?.records.map((r) => [r.key, (r.value as { status: string }).status])).toEqual([
      ['u1', 'sent'],
      ['u1', 'delivered'],
    ]);
    expect(batches[1]?.records.map((r) => (r.value as { eventId: string }).eventId)).toEqual([
      `${message.id}:sent`,
      `${message.id}:delivered`,
    ]);
    // Named in a header, so rules skips the message_* events it does not want without parsing them.
    expect(batches[1]?.records.map((r) => r.headers)).toEqual([
      { 'nudge-event-name': 'message_sent' },
      { 'nudge-event-name': 'message_delivered' },
    ]);
  });

  it('a status with no event (expired) has only its delivery update; an event that is no change only its event', () => {
    const batches = topicBatchesOf(
      [
        stored('1', { message, status: 'expired', at }),
        stored('2', { message, status: 'replied', at, event: { id: 'x:replied:2', properties: {} } }, true),
      ],
      topics,
    );
    expect(batches.map((b) => [b.topic, b.records.length])).toEqual([
      [topics.deliveries, 1],
      [topics.events, 1],
    ]);
    expect(batches[1]?.records[0]?.value).toMatchObject({ eventId: 'x:replied:2', name: 'message_replied' });
  });

  it('renders a record published twice as the same event (consumers dedupe by its id)', () => {
    const record = stored('1', { message, status: 'sent', at });
    expect(topicBatchesOf([record], topics)).toEqual(topicBatchesOf([record], topics));
  });
});
