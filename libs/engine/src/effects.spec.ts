import type { JourneyRun } from '@nudge/decisions';
import { effects, mergeEffects, NO_EFFECTS } from './effects';

const at = new Date('2026-11-23T10:00:00.000Z');
const run = (runId: string, stepId: string) => ({ runId, stepId }) as unknown as JourneyRun;

describe('mergeEffects', () => {
  it('is empty for nothing, and keeps every list in order', () => {
    expect(mergeEffects()).toEqual(NO_EFFECTS);
    const merged = mergeEffects(effects({ cancel: ['a'] }), { cancel: ['b'], touches: [{ userId: 'u', campaignId: 'c', at }] });
    expect(merged.cancel).toEqual(['a', 'b']);
    expect(merged.touches).toHaveLength(1);
  });

  it('writes a run once, in its first place, with its latest state', () => {
    const merged = mergeEffects({ runs: [run('r1', 'welcome'), run('r2', 'welcome')] }, { runs: [run('r1', 'wait')] });
    expect(merged.runs.map((r) => `${r.runId}@${r.stepId}`)).toEqual(['r1@wait', 'r2@welcome']);
  });

  it("keeps the batch's latest opt-in asked of each (user, channel)", () => {
    const asked = (address: string) => ({
      userId: 'u',
      channel: 'sms' as const,
      address,
      requestedAt: at.toISOString(),
      requestEventId: address,
    });
    expect(mergeEffects({ optIns: [asked('+1')] }, { optIns: [asked('+2')] }).optIns.map((o) => o.address)).toEqual(['+2']);
  });

  it('does not change the values it merges', () => {
    const first = effects({ cancel: ['a'] });
    mergeEffects(first, { cancel: ['b'] });
    expect(first.cancel).toEqual(['a']);
  });
});
