import { aCampaign } from '@nudge/campaigns/testing';
import { emptyProfile, type EventEnvelope, type Profile } from '@nudge/contracts';
import { DEFAULT_SETTINGS } from '@nudge/settings';
import { simulate } from './simulate';

const ana: Profile = {
  ...emptyProfile('ana', '2026-11-01T00:00:00.000Z'),
  timezone: 'Europe/Madrid',
  attributes: { firstName: 'Ana' },
  channels: { sms: { address: '+34600000001', consent: { marketing: true } } },
};

function anEvent(eventId: string, name: string, timestamp: string, properties: Record<string, unknown> = {}): EventEnvelope {
  return { eventId, userId: 'ana', name, timestamp, receivedAt: timestamp, properties, context: {} };
}

describe('simulate', () => {
  it("awaits the caller's checkpoint after every event, and stops when it throws", async () => {
    const campaign = aCampaign('winback').withDelay('P1D').compile();
    const events = ['e1', 'e2', 'e3'].map((id, i) => anEvent(id, 'cart_abandoned', `2026-11-0${i + 2}T10:00:00.000Z`));
    let checkpoints = 0;
    const run = (stopAfter: number) =>
      simulate({
        campaigns: [campaign],
        settings: DEFAULT_SETTINGS,
        profiles: [ana],
        events,
        checkpoint: async () => {
          if (++checkpoints > stopAfter) throw new Error('too long');
        },
      });
    await expect(run(1)).rejects.toThrow('too long');
    expect(checkpoints).toBe(2);
    checkpoints = 0;
    await expect(run(Infinity)).resolves.toHaveLength(6);
    expect(checkpoints).toBe(3);
  });

  it('runs a 7-day delay on virtual time and renders the message', async () => {
    const campaign = aCampaign('winback')
      .withDelay('P7D')
      .withMessage({ body: 'We miss you, {{ profile.attributes.firstName }}' })
      .compile();
    const started = Date.now();
    const decisions = await simulate({
      campaigns: [campaign],
      settings: DEFAULT_SETTINGS,
      profiles: [ana],
      events: [anEvent('e1', 'cart_abandoned', '2026-11-02T10:00:00.000Z')],
    });
    expect(Date.now() - started).toBeLessThan(1_000);
    expect(decisions.map((d) => [d.at, d.outcome])).toEqual([
      ['2026-11-02T10:00:00.000Z', 'scheduled'],
      ['2026-11-09T10:00:00.000Z', 'sent'],
    ]);
    expect(decisions[1]).toMatchObject({ channel: 'sms', to: '+34600000001', body: 'We miss you, Ana' });
  });

  it('records a body that hits a Liquid limit as the reason dispatch would fail it, and goes on', async () => {
    const campaign = aCampaign('loop').withMessage({ body: '{% for i in (1..event.properties.n) %}x{% endfor %}' }).compile();
    const decisions = await simulate({
      campaigns: [campaign],
      settings: DEFAULT_SETTINGS,
      profiles: [ana],
      events: [
        anEvent('bomb', 'cart_abandoned', '2026-11-02T10:00:00.000Z', { n: 100_000_000 }),
        anEvent('small', 'cart_abandoned', '2026-11-02T11:00:00.000Z', { n: 3 }),
      ],
    });
    expect(decisions.map((d) => [d.triggerEventId, d.outcome])).toEqual([
      ['bomb', 'sent'],
      ['small', 'sent'],
    ]);
    expect(decisions[0]?.renderError).toMatch(/^template error: .*limit/);
    expect(decisions[0]?.body).toBeUndefined();
    expect(decisions[1]).toMatchObject({ body: 'xxx' });
  });

  it("skips marketing to a suppressed address with the opt-out's reason, as rules does; a lifted one sends", async () => {
    const campaign = aCampaign('offer').compile();
    const events = [anEvent('e1', 'cart_abandoned', '2026-11-02T10:00:00.000Z')];
    const stop = {
      channel: 'sms' as const,
      address: '+34600000001',
      suppressed: true,
      keyword: 'STOP',
      source: 'file:suppressions.json',
      changedAt: '2026-10-30T09:00:00.000Z',
    };
    const run = (suppressed: boolean) =>
      simulate({
        campaigns: [campaign],
        settings: DEFAULT_SETTINGS,
        profiles: [ana],
        events,
        suppressions: new Map([['ana', new Map([['sms', { ...stop, suppressed }]])]]),
      });
    const [stopped] = await run(true);
    expect(stopped).toMatchObject({ outcome: 'no_consent' });
    expect(stopped?.reason).toMatch(/STOP/);
    expect(stopped?.reason).toMatch(/2026-10-30/);
    expect((await run(false))[0]).toMatchObject({ outcome: 'sent', to: '+34600000001' });
  });

  it('cancels on an exception, defers to the window, and caps — as rules would', async () => {
    const reminder = aCampaign('reminder')
      .withDelay('PT1H')
      .with('exceptions', [{ event: 'purchase', match: { cartId: 'cartId' } }])
      .with('timeWindow', { start: '09:00', end: '21:00' })
      .with('frequencyCaps', [{ max: 1, per: 'P1D' }])
      .compile();
    const decisions = await simulate({
      campaigns: [reminder],
      settings: DEFAULT_SETTINGS,
      profiles: [ana],
      events: [
        anEvent('c1', 'cart_abandoned', '2026-11-02T10:00:00.000Z', { cartId: 'a' }),
        anEvent('p1', 'purchase', '2026-11-02T10:30:00.000Z', { cartId: 'a' }),
        anEvent('c2', 'cart_abandoned', '2026-11-02T20:30:00.000Z', { cartId: 'b' }),
        anEvent('c3', 'cart_abandoned', '2026-11-03T09:30:00.000Z', { cartId: 'c' }),
      ],
    });
    expect(decisions.map((d) => `${d.triggerEventId} ${d.outcome} ${d.at}`)).toEqual([
      'c1 scheduled 2026-11-02T10:00:00.000Z',
      'c1 cancelled_exception 2026-11-02T10:30:00.000Z',
      'c2 scheduled 2026-11-02T20:30:00.000Z',
      'c2 deferred_window 2026-11-02T21:30:00.000Z',
      'c2 sent 2026-11-03T08:00:00.000Z',
      'c3 scheduled 2026-11-03T09:30:00.000Z',
      'c3 capped 2026-11-03T10:30:00.000Z',
    ]);
  });

  describe('journeys', () => {
    const onboarding = aCampaign('onboarding')
      .withTrigger('signed_up')
      .withSteps([
        { id: 'welcome', type: 'message', message: { channel: 'sms', body: 'Welcome {{ profile.attributes.firstName }}' } },
        { id: 'await-click', type: 'waitFor', event: 'message_clicked', timeout: 'P1D', next: 'route', onTimeout: 'route' },
        {
          id: 'route',
          type: 'branch',
          branches: [{ when: { fact: 'journey', path: '$.steps.welcome.clicked', operator: 'equal', value: true }, next: 'thanks' }],
        },
        { id: 'nudge', type: 'wait', until: '10:00' },
        { id: 'reminder', type: 'message', message: { channel: 'sms', body: 'Still there?' }, next: 'done' },
        { id: 'thanks', type: 'message', message: { channel: 'sms', body: 'Thanks!' } },
        { id: 'done', type: 'exit' },
      ])
      .compile();

    it('runs a journey for someone who never clicks: timeout, default branch, wait until 10:00 local, reminder', async () => {
      const decisions = await simulate({
        campaigns: [onboarding],
        settings: DEFAULT_SETTINGS,
        profiles: [ana],
        events: [anEvent('s1', 'signed_up', '2026-11-02T18:00:00.000Z')],
      });
      expect(decisions.map((d) => `${d.at} ${d.stepId} ${d.outcome}`)).toEqual([
        '2026-11-02T18:00:00.000Z welcome sent',
        '2026-11-02T18:00:00.000Z await-click scheduled',
        '2026-11-03T18:00:00.000Z await-click branched',
        '2026-11-03T18:00:00.000Z route branched',
        '2026-11-03T18:00:00.000Z nudge scheduled',
        // 10:00 in Madrid the next morning.
        '2026-11-04T09:00:00.000Z reminder sent',
        '2026-11-04T09:00:00.000Z done completed',
      ]);
      expect(decisions[0]).toMatchObject({ channel: 'sms', body: 'Welcome Ana' });
    });

    it('takes a clicker to "thanks": a message event in the file may name the step instead of the send id', async () => {
      const decisions = await simulate({
        campaigns: [onboarding],
        settings: DEFAULT_SETTINGS,
        profiles: [ana],
        events: [
          anEvent('s1', 'signed_up', '2026-11-02T18:00:00.000Z'),
          anEvent('k1', 'message_clicked', '2026-11-02T18:05:00.000Z', { campaignId: 'onboarding', stepId: 'welcome' }),
        ],
      });
      expect(decisions.filter((d) => d.outcome === 'sent').map((d) => `${d.at} ${d.body}`)).toEqual([
        '2026-11-02T18:00:00.000Z Welcome Ana',
        '2026-11-02T18:05:00.000Z Thanks!',
      ]);
    });

    it('refuses a second run while one is in progress', async () => {
      const decisions = await simulate({
        campaigns: [onboarding],
        settings: DEFAULT_SETTINGS,
        profiles: [ana],
        events: [anEvent('s1', 'signed_up', '2026-11-02T18:00:00.000Z'), anEvent('s2', 'signed_up', '2026-11-02T19:00:00.000Z')],
      });
      expect(decisions.find((d) => d.triggerEventId === 's2')).toMatchObject({ outcome: 'not_eligible', stepId: 'welcome' });
    });
  });
});
