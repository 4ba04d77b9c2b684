import { aCampaign } from '@nudge/campaigns/testing';
import { emptyProfile, type EventEnvelope } from '@nudge/contracts';
import { decideTrigger } from './trigger-decision';

const now = new Date('2026-11-24T10:00:00.000Z');

function anEvent(properties: Record<string, unknown> = {}, timestamp = now.toISOString()): EventEnvelope {
  return { eventId: 'e-1', userId: 'u1', name: 'cart_abandoned', timestamp, receivedAt: now.toISOString(), properties, context: {} };
}

const bigCart = { all: [{ fact: 'event' as const, path: '$.properties.cartValue', operator: 'greaterThan' as const, value: 100 }] };

describe('decideTrigger', () => {
  it.each([
    ['a paused campaign', aCampaign().withStatus('paused'), anEvent({ cartValue: 130 }), 'campaign_inactive'],
    ['an archived campaign', aCampaign().withStatus('archived'), anEvent({ cartValue: 130 }), 'campaign_inactive'],
    [
      'a campaign whose schedule has not started',
      aCampaign().withSchedule({ start: '2026-12-01T00:00:00Z' }),
      anEvent(),
      'campaign_inactive',
    ],
    ['a campaign whose schedule has ended', aCampaign().withSchedule({ end: '2026-11-01T00:00:00Z' }), anEvent(), 'campaign_inactive'],
    ['conditions that are false', aCampaign().withConditions(bigCart), anEvent({ cartValue: 50 }), 'conditions_not_met'],
    ['a property the event lacks', aCampaign().withConditions(bigCart), anEvent({}), 'conditions_not_met'],
    ['conditions that are true', aCampaign().withConditions(bigCart), anEvent({ cartValue: 130 }), 'scheduled'],
    ['no conditions at all', aCampaign(), anEvent(), 'scheduled'],
  ])('%s → %s', async (_label, builder, event, outcome) => {
    const verdict = await decideTrigger({ event, profile: emptyProfile('u1', now.toISOString()), campaign: builder.compile(), now });
    expect(verdict.outcome).toBe(outcome);
    expect(verdict.reason.length).toBeGreaterThan(10);
  });

  it('schedules the send the delay after the event timestamp, not after its arrival', async () => {
    const event = anEvent({}, '2026-11-24T09:50:00.000Z');
    const verdict = await decideTrigger({ event, profile: null, campaign: aCampaign().withDelay('PT30M').compile(), now });
    expect(verdict).toMatchObject({ outcome: 'scheduled', dueAt: new Date('2026-11-24T10:20:00.000Z') });
  });

  it('evaluates profile conditions against an empty profile when the user has none', async () => {
    const goldOnly = aCampaign().withConditions({
      all: [{ fact: 'profile', path: '$.attributes.tier', operator: 'equal', value: 'gold' }],
    });
    const verdict = await decideTrigger({ event: anEvent(), profile: null, campaign: goldOnly.compile(), now });
    expect(verdict.outcome).toBe('conditions_not_met');
  });
});

describe('decideTrigger: re-eligibility and exceptions', () => {
  const daily = aCampaign().with('reEligibility', 'P1D').compile();

  it.each([
    ['never touched', null, 'scheduled'],
    ['touched 23 h 59 min ago', new Date('2026-11-23T10:01:00.000Z'), 'not_eligible'],
    ['touched exactly 1 day ago', new Date('2026-11-23T10:00:00.000Z'), 'scheduled'],
    ['touched 2 days ago', new Date('2026-11-22T10:00:00.000Z'), 'scheduled'],
  ])('with reEligibility P1D, a user %s → %s', async (_label, lastTouchedAt, outcome) => {
    const verdict = await decideTrigger({ event: anEvent(), profile: null, campaign: daily, now, lastTouchedAt });
    expect(verdict.outcome).toBe(outcome);
  });

  it('without reEligibility every trigger is eligible', async () => {
    const verdict = await decideTrigger({ event: anEvent(), profile: null, campaign: aCampaign().compile(), now, lastTouchedAt: now });
    expect(verdict.outcome).toBe('scheduled');
  });

  it('cancels at once when the exception arrived before its (earlier) trigger', async () => {
    const campaign = aCampaign()
      .with('exceptions', [{ event: 'purchase', match: { cartId: 'cartId' } }])
      .withDelay('PT30M')
      .compile();
    const trigger = anEvent({ cartId: 'c9' }, '2026-11-24T09:58:00.000Z');
    const purchase = { eventId: 'p-1', name: 'purchase', timestamp: '2026-11-24T09:59:00.000Z', properties: { cartId: 'c9' } };
    const verdict = await decideTrigger({ event: trigger, profile: null, campaign, now, knownExceptions: [purchase] });
    expect(verdict).toMatchObject({ outcome: 'cancelled_exception', reason: expect.stringContaining('p-1') });
  });
});
