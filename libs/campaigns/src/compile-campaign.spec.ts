import { aCampaign } from './testing';
import { compileCampaign } from './compile-campaign';
import { aProfile, anEvent } from './trigger-facts.fixtures';

describe('compileCampaign', () => {
  it('exposes what the rules read on every event', () => {
    const compiled = aCampaign().withDelay('PT30M').withChannels('whatsapp', 'sms').withMessage({ fallbackAfter: 'PT2H' }).compile(4);
    expect(compiled).toMatchObject({
      id: 'cart-abandon-sms',
      version: 4,
      triggerEvent: 'cart_abandoned',
      category: 'marketing',
      delay: 'PT30M',
      channels: ['whatsapp', 'sms'],
    });
    expect(compiled.document.message?.fallbackAfter).toBe('PT2H');
  });

  it.each([
    ['one channel', aCampaign().withChannels('sms'), ['sms'], 'PT0S'],
    [
      'a journey',
      aCampaign()
        .without('message')
        .with('steps', [{ id: 'a', type: 'exit' }]),
      [],
      'PT0S',
    ],
  ])('%s has channels %j and delay %s', (_, builder, channels, delay) => {
    expect(builder.compile()).toMatchObject({ channels, delay });
  });

  it('matches an event on its conditions: greaterThan on cartValue', async () => {
    const compiled = aCampaign()
      .withConditions({ all: [{ fact: 'event', path: '$.properties.cartValue', operator: 'greaterThan', value: 100 }] })
      .compile();
    expect(await compiled.matches({ event: anEvent({ cartValue: 129.9 }), profile: aProfile() })).toBe(true);
    expect(await compiled.matches({ event: anEvent({ cartValue: 99 }), profile: aProfile() })).toBe(false);
  });

  it('keeps its own frozen copy of the document', () => {
    const document = aCampaign().document();
    const compiled = compileCampaign(document, 1);
    document.name = 'changed later';
    expect(compiled.document.name).toBe('Abandoned cart nudge');
    expect(Object.isFrozen(compiled.document.trigger)).toBe(true);
  });

  it.each([0, -1, 1.5])('refuses version %d', (version) => {
    expect(() => compileCampaign(aCampaign().document(), version)).toThrow('campaign version must be a positive integer');
  });
});

describe('isActiveAt', () => {
  const scheduled = aCampaign().withSchedule({ start: '2026-11-01T00:00:00Z', end: '2027-01-31T23:59:59Z' });

  it.each([
    ['an active campaign without schedule', aCampaign(), '2030-01-01T00:00:00Z', { active: true }],
    ['a paused campaign', aCampaign().withStatus('paused'), '2026-12-01T00:00:00Z', { active: false, reason: 'campaign is paused' }],
    ['an archived campaign', aCampaign().withStatus('archived'), '2026-12-01T00:00:00Z', { active: false, reason: 'campaign is archived' }],
    [
      'before the schedule starts',
      scheduled,
      '2026-10-31T23:59:59Z',
      { active: false, reason: 'campaign schedule starts at 2026-11-01T00:00:00.000Z' },
    ],
    ['at the schedule start', scheduled, '2026-11-01T00:00:00Z', { active: true }],
    ['within the schedule', scheduled, '2026-12-24T18:00:00Z', { active: true }],
    ['at the schedule end', scheduled, '2027-01-31T23:59:59Z', { active: true }],
    [
      'after the schedule ends',
      scheduled,
      '2027-02-01T00:00:00Z',
      { active: false, reason: 'campaign schedule ended at 2027-01-31T23:59:59.000Z' },
    ],
    [
      'a paused campaign within its schedule',
      scheduled.withStatus('paused'),
      '2026-12-01T00:00:00Z',
      { active: false, reason: 'campaign is paused' },
    ],
    ['a schedule with only an end', aCampaign().withSchedule({ end: '2027-01-31T23:59:59Z' }), '2000-01-01T00:00:00Z', { active: true }],
  ])('%s at %s → %j', (_, builder, at, expected) => {
    expect(builder.compile().isActiveAt(new Date(at))).toEqual(expected);
  });
});
