import { DLQ_HEADERS } from '@nudge/contracts';
import { inLogOrder, nextOffsets, ownHeaders, planReplay, rangesToRead, resolveDlqTopics, type DeadLetter } from './dead-letters';

function letter(offset: string, headers: Record<string, string> = {}, partition = 0): DeadLetter {
  return { partition, offset, key: 'u1', value: Buffer.from('{"userId":"u1"}'), headers };
}

describe('resolveDlqTopics', () => {
  it.each([
    ['events', '', { source: 'nudge.events.v1', dlq: 'nudge.events.v1.dlq' }],
    ['dispatch', 'test-', { source: 'test-nudge.dispatch.v1', dlq: 'test-nudge.dispatch.v1.dlq' }],
    ['nudge.events.v1', 'p.', { source: 'p.nudge.events.v1', dlq: 'p.nudge.events.v1.dlq' }],
    ['p.nudge.events.v1.dlq', 'p.', { source: 'p.nudge.events.v1', dlq: 'p.nudge.events.v1.dlq' }],
    ['nudge.events.v1.dlq', '', { source: 'nudge.events.v1', dlq: 'nudge.events.v1.dlq' }],
  ])('reads %s with prefix "%s" as its DLQ', (name, prefix, topics) => {
    expect(resolveDlqTopics(name, prefix)).toEqual(topics);
  });
});

describe('planReplay', () => {
  it('sends each letter unchanged to its source topic, with its own headers, marked with where it came from, and skips letters without one', () => {
    const placed = letter('4', { [DLQ_HEADERS.sourceTopic]: 'nudge.events.v1', [DLQ_HEADERS.error]: 'x', ce_type: 'cart.abandoned' });
    const { replays, skipped } = planReplay('nudge.events.v1.dlq', [placed, letter('5')]);
    expect(replays).toEqual([
      {
        topic: 'nudge.events.v1',
        letter: placed,
        record: {
          key: 'u1',
          value: placed.value,
          headers: { ce_type: 'cart.abandoned', 'nudge-replayed-from': 'nudge.events.v1.dlq[0]@4' },
        },
      },
    ]);
    expect(skipped.map((l) => l.offset)).toEqual(['5']);
  });
});

describe('nextOffsets', () => {
  it('is the offset after the last letter of each partition', () => {
    expect(nextOffsets([letter('3'), letter('9'), letter('4'), letter('0', {}, 1)])).toEqual(
      new Map([
        [0, '10'],
        [1, '1'],
      ]),
    );
  });
});

describe('rangesToRead', () => {
  const logs = [
    { partition: 0, low: '0', high: '10' },
    { partition: 1, low: '5', high: '7' },
    { partition: 2, low: '3', high: '3' },
  ];

  it('reads each partition from its start to its end, at most limit records, never below the log or past its end', () => {
    expect(rangesToRead(logs, () => 0, 4)).toEqual(
      new Map([
        [0, { start: 0, end: 4 }],
        [1, { start: 5, end: 7 }],
      ]),
    );
    expect(rangesToRead(logs, (p) => (p === 0 ? 8 : 9), 100)).toEqual(new Map([[0, { start: 8, end: 10 }]]));
  });

  it('reads nothing for a limit of 0', () => {
    expect(rangesToRead(logs, () => 0, 0).size).toBe(0);
  });
});

describe('inLogOrder and ownHeaders', () => {
  it('orders letters by partition then offset (offsets compared as numbers)', () => {
    expect(inLogOrder([letter('10'), letter('9'), letter('1', {}, 1), letter('2')]).map((l) => `${l.partition}@${l.offset}`)).toEqual([
      '0@2',
      '0@9',
      '0@10',
      '1@1',
    ]);
  });

  it("keeps a letter's own headers, not the ones dead-lettering added", () => {
    expect(ownHeaders(letter('0', { [DLQ_HEADERS.error]: 'x', [DLQ_HEADERS.sourceTopic]: 't', ce_id: '1' }))).toEqual({ ce_id: '1' });
  });
});
