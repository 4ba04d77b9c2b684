import { z } from 'zod';
import { isoDateTime } from './date-time';

const inputs: unknown[] = [
  '2026-11-23T10:00:00Z',
  '2026-11-23T10:00:00.123Z',
  '2026-11-23T10:00:00.123456789Z',
  '2026-11-23T10:00:00+01:00',
  '2026-11-23T10:00:00-0530',
  '2026-11-23T10:00Z',
  '2026-11-23T10:00:00',
  '2026-11-23',
  '2026-02-30T10:00:00Z',
  '2026-13-01T10:00:00Z',
  '2026-11-23T24:00:00Z',
  '2026-11-23 10:00:00Z',
  ' 2026-11-23T10:00:00Z',
  '',
  'yesterday',
  42,
  null,
  undefined,
];

/** What a 400 or a dead letter shows of an issue. */
const seenByUsers = (issue: z.ZodIssue) => ({ code: issue.code, path: issue.path, message: issue.message });

describe('isoDateTime', () => {
  it.each(inputs.map((input) => [input]))('judges %j exactly as zod datetime({ offset: true }) does', (input) => {
    const ours = z.object({ at: isoDateTime() }).safeParse({ at: input });
    const zods = z.object({ at: z.string().datetime({ offset: true }) }).safeParse({ at: input });
    expect(ours.success).toBe(zods.success);
    expect(ours.error?.issues.map(seenByUsers)).toEqual(zods.error?.issues.map(seenByUsers));
  });

  it('keeps a custom message', () => {
    const ours = isoDateTime('must be an ISO-8601 date-time').safeParse('soon');
    const zods = z.string().datetime({ offset: true, message: 'must be an ISO-8601 date-time' }).safeParse('soon');
    expect(ours.error?.issues.map(seenByUsers)).toEqual(zods.error?.issues.map(seenByUsers));
    expect(ours.error?.issues[0]?.message).toBe('must be an ISO-8601 date-time');
  });

  it('answers the same verdict on every call (no state kept between parses)', () => {
    const schema = isoDateTime();
    for (let i = 0; i < 3; i++) {
      expect(schema.safeParse('2026-11-23T10:00:00Z').success).toBe(true);
      expect(schema.safeParse('nope').success).toBe(false);
    }
  });
});
