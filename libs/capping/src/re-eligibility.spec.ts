import { reEligibilityVerdict } from './re-eligibility';

const at = new Date('2026-11-24T10:00:00.000Z');
const ago = (ms: number) => new Date(at.getTime() - ms);
const DAY = 24 * 60 * 60 * 1000;

describe('reEligibilityVerdict', () => {
  it.each<[string, string | undefined, Date | null, boolean]>([
    ['no re-eligibility period: always eligible', undefined, ago(1), true],
    ['never sent or scheduled: eligible', 'P1D', null, true],
    ['touched exactly one period ago: eligible again', 'P1D', ago(DAY), true],
    ['touched 1 ms less than a period ago: not eligible', 'P1D', ago(DAY - 1), false],
    ['touched long before the period: eligible', 'P1D', ago(30 * DAY), true],
    ['touched just now: not eligible', 'PT30M', at, false],
    ['a touch in the future (scheduled by a faster clock): not eligible', 'P1D', new Date(at.getTime() + 1), false],
  ])('%s', (_behaviour, period, lastTouchedAt, eligible) => {
    expect(reEligibilityVerdict({ period, lastTouchedAt, at }).eligible).toBe(eligible);
  });

  it('says until when and why the user is not eligible', () => {
    const lastTouchedAt = new Date('2026-11-24T09:00:00.000Z');
    expect(reEligibilityVerdict({ period: 'P1D', lastTouchedAt, at })).toEqual({
      eligible: false,
      eligibleAgainAt: new Date('2026-11-25T09:00:00.000Z'),
      reason: 'not eligible again until 2026-11-25T09:00:00.000Z: last sent or scheduled 2026-11-24T09:00:00.000Z, re-eligibility P1D',
    });
  });

  it('adds a month on the calendar, not as 30 days', () => {
    const lastTouchedAt = new Date('2026-01-31T10:00:00.000Z');
    const verdict = reEligibilityVerdict({ period: 'P1M', lastTouchedAt, at: new Date('2026-02-27T10:00:00.000Z') });
    expect(verdict).toMatchObject({ eligible: false, eligibleAgainAt: new Date('2026-02-28T10:00:00.000Z') });
  });
});
