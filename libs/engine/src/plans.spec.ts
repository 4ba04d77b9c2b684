import { CampaignIndex, type CompiledCampaign } from '@nudge/campaigns';
import { aCampaign } from '@nudge/campaigns/testing';
import { emptyProfile, type EventEnvelope, type Profile } from '@nudge/contracts';
import { DEFAULT_SETTINGS } from '@nudge/settings';
import { planFallback } from './fallback-plans';
import { planJourneyEvents } from './journey-plans';
import { planOptIns } from './opt-in-plans';
import { planBroadcastPage, planDue, sentByChannel, type SendState } from './send-plans';
import { planExceptions, planTriggers } from './trigger-plans';
import type { PendingSend } from './vocabulary';

const now = new Date('2026-11-23T10:00:00.000Z'); // 11:00 in Madrid
const ana: Profile = {
  ...emptyProfile('ana', '2026-11-01T00:00:00.000Z'),
  timezone: 'Europe/Madrid',
  channels: { sms: { address: '+34600000001', consent: { marketing: true } } },
};
const profiles = new Map([['ana', ana]]);

function anEvent(eventId: string, name: string, properties: Record<string, unknown> = {}, at = now): EventEnvelope {
  return { eventId, userId: 'ana', name, timestamp: at.toISOString(), receivedAt: at.toISOString(), properties, context: {} };
}

function index(...campaigns: CompiledCampaign[]): CampaignIndex {
  const idx = new CampaignIndex();
  for (const c of campaigns) idx.put(c);
  return idx;
}

function aSend(sendId: string, campaign: CompiledCampaign, dueAt = now): PendingSend {
  return {
    sendId,
    userId: 'ana',
    campaignId: campaign.id,
    campaignVersion: campaign.version,
    triggerEventId: sendId,
    stepId: 'main',
    dueAt,
    triggerEvent: anEvent(sendId, 'cart_abandoned'),
  };
}

function sendState(campaigns: CompiledCampaign[]): SendState {
  return {
    campaigns: new Map(campaigns.map((c) => [c.id, c])),
    profiles,
    ledgers: new Map(),
    suppressions: new Map(),
    settings: DEFAULT_SETTINGS,
  };
}

describe('planTriggers', () => {
  const delayed = aCampaign('delayed').withDelay('PT1H').compile();
  const immediate = aCampaign('immediate').compile();

  it.each([
    ['a delay: pending, decided scheduled, touched', delayed, { schedule: 1, dueNow: 0, decisions: 'scheduled', touches: 1 }],
    ['no delay: due now, decided when it fires, touched', immediate, { schedule: 0, dueNow: 1, decisions: '', touches: 1 }],
  ])('%s', async (_, campaign, expected) => {
    const plan = await planTriggers(
      { campaigns: index(campaign), profiles, touches: new Map(), knownExceptions: new Map() },
      [anEvent('e1', 'cart_abandoned')],
      now,
    );
    expect({
      schedule: plan.effects.schedule.length,
      dueNow: plan.dueNow.length,
      decisions: plan.effects.decisions.map((d) => d.outcome).join(','),
      touches: plan.effects.touches.length,
    }).toEqual(expected);
  });

  it('lets a second trigger in the batch see the first one’s touch (re-eligibility)', async () => {
    const campaign = aCampaign('once').with('reEligibility', 'P1D').compile();
    const plan = await planTriggers(
      { campaigns: index(campaign), profiles, touches: new Map(), knownExceptions: new Map() },
      [anEvent('e1', 'cart_abandoned'), anEvent('e2', 'cart_abandoned')],
      now,
    );
    expect(plan.dueNow.map((s) => s.triggerEventId)).toEqual(['e1']);
    expect(plan.effects.decisions.map((d) => `${d.triggerEventId} ${d.outcome}`)).toEqual(['e2 not_eligible']);
  });

  it('hands a journey over as a start: its steps decide', async () => {
    const journey = aCampaign('onboarding')
      .withTrigger('signed_up')
      .withSteps([{ id: 'welcome', type: 'message', message: { channel: 'sms', body: 'Hi' } }])
      .compile();
    const plan = await planTriggers(
      { campaigns: index(journey), profiles, touches: new Map(), knownExceptions: new Map() },
      [anEvent('s1', 'signed_up')],
      now,
    );
    expect(plan.starts.map((s) => s.campaign.id)).toEqual(['onboarding']);
    expect(plan.effects.decisions).toEqual([]);
    const effects = await planJourneyEvents(
      {
        runs: [],
        pinned: () => journey,
        current: () => journey,
        profiles,
        ledgers: new Map(),
        suppressions: new Map(),
        settings: DEFAULT_SETTINGS,
      },
      [],
      plan.starts,
      now,
    );
    expect(effects.decisions.map((d) => `${d.stepId} ${d.outcome}`)).toEqual(['welcome sent', 'welcome completed']);
    expect({
      runs: effects.runs.length,
      requests: effects.requests.length,
      ledger: effects.ledger.length,
      touches: effects.touches.length,
    }).toEqual({
      runs: 1,
      requests: 1,
      ledger: 1,
      touches: 1,
    });
  });
});

describe('planExceptions', () => {
  const campaign = aCampaign('cart')
    .withDelay('PT1H')
    .with('exceptions', [{ event: 'purchase' }])
    .compile();

  it('cancels the pending sends an exception ends, with the reason', () => {
    const earlier = new Date(now.getTime() - 600_000);
    const pending = [
      { ...aSend('s1', campaign, new Date(earlier.getTime() + 3_600_000)), triggerEvent: anEvent('s1', 'cart_abandoned', {}, earlier) },
    ];
    const effects = planExceptions({ campaigns: index(campaign), pending }, [anEvent('p1', 'purchase')], now);
    expect(effects.cancel).toEqual(['s1']);
    expect(effects.decisions.map((d) => d.outcome)).toEqual(['cancelled_exception']);
  });

  it('does nothing for events that end nothing', () => {
    const effects = planExceptions({ campaigns: index(campaign), pending: [aSend('s1', campaign)] }, [anEvent('x', 'page_view')], now);
    expect(effects.cancel).toEqual([]);
  });
});

describe('planDue', () => {
  it('counts a send against the caps of the same user’s later sends in the batch', () => {
    const capped = aCampaign('capped')
      .with('frequencyCaps', [{ max: 1, per: 'P1D' }])
      .compile();
    const effects = planDue(sendState([capped]), [aSend('s1', capped), aSend('s2', capped)], now);
    expect(effects.decisions.map((d) => d.outcome)).toEqual(['sent', 'capped']);
    expect(sentByChannel(effects)).toEqual(new Map([['sms', 1]]));
  });

  it('decides a send whose campaign is gone campaign_inactive', () => {
    const gone = aCampaign('gone').compile();
    expect(planDue(sendState([]), [aSend('s1', gone)], now).decisions.map((d) => d.outcome)).toEqual(['campaign_inactive']);
  });
});

describe('planBroadcastPage', () => {
  it('decides as planDue, but moves no re-eligibility clock', () => {
    const broadcast = aCampaign('bc').compile();
    const effects = planBroadcastPage(sendState([broadcast]), [aSend('s1', broadcast)], now);
    expect(effects.decisions.map((d) => d.outcome)).toEqual(['sent']);
    expect(effects.touches).toEqual([]);
  });
});

describe('planFallback', () => {
  const step = (observed?: 'delivered'): PendingSend => ({
    ...aSend('fb', aCampaign('cart').compile()),
    stepId: 'main>sms',
    fallback: { of: 'snd_main', from: 'whatsapp', channels: ['sms'], after: 'PT1H', ...(observed ? { observed } : {}) },
  });

  it.each([
    ['a step still waiting: the normal end of a chain', step(), []],
    [
      'a deferred step: cancelled, saying what was seen',
      step('delivered'),
      ['cancelled_exception the whatsapp message was clicked before its fallback was sent'],
    ],
  ])('%s', (_, cancelled, expected) => {
    const effects = planFallback([cancelled], new Map([['snd_main', 'clicked']]), now);
    expect(effects.decisions.map((d) => `${d.outcome} ${d.reason}`)).toEqual(expected);
  });
});

describe('planOptIns', () => {
  it('logs every request under the system campaign, and asks only where a confirmation goes', () => {
    const request = anEvent('c1', 'consent_requested', { channel: 'sms', category: 'marketing' });
    const effects = planOptIns({ profiles, settings: DEFAULT_SETTINGS, addressKey: (_, to) => `key:${to}` }, [request], now);
    expect(effects.decisions).toHaveLength(1);
    expect(effects.decisions[0]).toMatchObject({ campaignId: 'double-opt-in', stepId: 'confirm' });
    expect(effects.optIns.length).toBe(effects.requests.length);
    for (const asked of effects.optIns) expect(asked.address).toBe('key:+34600000001');
  });
});
