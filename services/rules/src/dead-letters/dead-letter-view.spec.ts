import { DLQ_HEADERS } from '@nudge/contracts';
import { deadLetterView } from './dead-letter-view';

describe('deadLetterView', () => {
  it('reads the DLQ headers out, keeps the record its own, and gives the time the DLQ took it', () => {
    const view = deadLetterView(
      {
        partition: 0,
        offset: '3',
        key: 'ana',
        value: Buffer.from('{"a":1}'),
        timestamp: '1772360100000',
        headers: {
          [DLQ_HEADERS.error]: 'schema violation: userId: Required',
          [DLQ_HEADERS.errorKind]: 'invalid_schema',
          [DLQ_HEADERS.sourceTopic]: 'nudge.events.v1',
          [DLQ_HEADERS.sourcePartition]: '2',
          [DLQ_HEADERS.sourceOffset]: '41',
          [DLQ_HEADERS.failedAt]: '2026-03-01T10:15:00.000Z',
          ce_type: 'cart.abandoned',
        },
      },
      null,
    );
    expect(view).toEqual({
      partition: 0,
      offset: '3',
      key: 'ana',
      timestamp: '2026-03-01T10:15:00.000Z',
      error: 'schema violation: userId: Required',
      errorKind: 'invalid_schema',
      failedAt: '2026-03-01T10:15:00.000Z',
      source: { topic: 'nudge.events.v1', partition: 2, offset: '41' },
      headers: { ce_type: 'cart.abandoned' },
      value: '{"a":1}',
      valueBytes: 7,
      valueTruncated: false,
      replayed: null,
    });
  });

  it('cuts a long value on characters, not inside one, and says so', () => {
    const view = deadLetterView(
      { partition: 0, offset: '0', key: null, value: Buffer.from('😀'.repeat(10)), headers: {} },
      { by: 'cli' },
      3,
    );
    expect(view).toMatchObject({
      value: '😀😀😀',
      valueBytes: 40,
      valueTruncated: true,
      source: null,
      timestamp: null,
      replayed: { by: 'cli' },
    });
  });

  it('shows an empty record as null', () => {
    expect(deadLetterView({ partition: 0, offset: '0', key: null, value: null, headers: {} }, null)).toMatchObject({
      value: null,
      valueBytes: 0,
      valueTruncated: false,
    });
  });
});
