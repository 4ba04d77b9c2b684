import { DLQ_HEADERS } from '@nudge/contracts';
import type { DeadLetter } from '@nudge/kafka';
import { describeLetter, excerpt, parseCount } from './dead-letters';
import { main } from '../main';

function letter(offset: string, headers: Record<string, string> = {}, partition = 0): DeadLetter {
  return { partition, offset, key: 'u1', value: Buffer.from('{"userId":"u1"}'), headers };
}

describe('describeLetter', () => {
  it('shows offset, key, source, error and the value', () => {
    const lines = describeLetter(
      letter('7', {
        [DLQ_HEADERS.sourceTopic]: 'nudge.events.v1',
        [DLQ_HEADERS.sourcePartition]: '3',
        [DLQ_HEADERS.sourceOffset]: '41',
        [DLQ_HEADERS.errorKind]: 'handler_failed',
        [DLQ_HEADERS.error]: 'handler failed: date/time field value out of range',
        [DLQ_HEADERS.failedAt]: '2026-12-03T10:00:00.000Z',
      }),
    );
    expect(lines).toEqual([
      'offset 7 (partition 0)  key u1  from nudge.events.v1[3]@41  at 2026-12-03T10:00:00.000Z',
      '  handler_failed: handler failed: date/time field value out of range',
      '  value: {"userId":"u1"}',
    ]);
  });

  it('says so when a letter has no headers', () => {
    expect(describeLetter(letter('0')).slice(0, 2)).toEqual([
      'offset 0 (partition 0)  key u1  from (unknown source)  at ?',
      '  unknown: (no error recorded)',
    ]);
  });
});

describe('excerpt', () => {
  it('escapes control characters and cuts long values, naming their size', () => {
    expect(excerpt(Buffer.from('a\u0000b\nc'))).toBe('a\\u0000b\\u000ac');
    expect(excerpt(Buffer.from('x'.repeat(300)), 10)).toBe('xxxxxxxxxx… (300 bytes)');
    expect(excerpt(null)).toBe('(empty)');
  });
});

describe('nudge dlq arguments', () => {
  async function run(...args: string[]) {
    const out: string[] = [];
    const err: string[] = [];
    const code = await main(['node', 'nudge', ...args], { out: (l) => out.push(l), err: (l) => err.push(l) });
    return { code, out, err };
  }

  it('accepts whole numbers only for --limit and --from-offset', () => {
    expect(parseCount('--limit', ' 25 ')).toBe(25);
    expect(() => parseCount('--limit', '-1')).toThrow('--limit must be a whole number');
    expect(() => parseCount('--from-offset', '1e3')).toThrow('--from-offset must be a whole number');
  });

  it('refuses a bad --limit before touching Kafka, exit 2', async () => {
    const result = await run('dlq', 'list', 'events', '--limit', 'ten', '--brokers', '127.0.0.1:1');
    expect(result.code).toBe(2);
    expect(result.err.join('\n')).toMatch(/--limit must be a whole number/);
  });

  it('needs a topic', async () => {
    const result = await run('dlq', 'replay');
    expect(result.code).toBe(2);
    expect(result.err.join('\n')).toMatch(/missing required argument 'topic'/);
  });
});
