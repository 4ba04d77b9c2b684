import { aCampaign } from '@nudge/campaigns/testing';
import type { EventEnvelope } from '@nudge/contracts';
import { attributeConversion, isMeasured, type Attribution } from './conversion-attribution';

const campaign = aCampaign('cart')
  .with('conversion', { event: 'purchase', within: 'P3D', match: { cartId: 'cartId' } })
  .compile();
const send = (sendId: string, at: string, cartId = 'c1', converted = false): Attribution => ({
  sendId,
  at: new Date(at),
  triggerProperties: { cartId },
  converted,
});
const purchase = (timestamp: string, cartId = 'c1'): EventEnvelope => ({
  eventId: 'p',
  userId: 'u',
  name: 'purchase',
  timestamp,
  receivedAt: timestamp,
  properties: { cartId },
  context: {},
});

describe('attributeConversion', () => {
  it.each([
    ['a purchase 1 day after the send', [send('s1', '2026-11-20T10:00:00Z')], purchase('2026-11-21T10:00:00Z'), 's1'],
    ['a purchase exactly 3 days after', [send('s1', '2026-11-20T10:00:00Z')], purchase('2026-11-23T10:00:00Z'), 's1'],
    ['a purchase 3 days and a second after', [send('s1', '2026-11-20T10:00:00Z')], purchase('2026-11-23T10:00:01Z'), null],
    ['a purchase before any send', [send('s1', '2026-11-20T10:00:00Z')], purchase('2026-11-19T10:00:00Z'), null],
    ['another cart', [send('s1', '2026-11-20T10:00:00Z')], purchase('2026-11-21T10:00:00Z', 'c2'), null],
    [
      'two sends: the last one counts',
      [send('s1', '2026-11-20T10:00:00Z'), send('s2', '2026-11-21T10:00:00Z')],
      purchase('2026-11-21T12:00:00Z'),
      's2',
    ],
    ['a send that already converted', [send('s1', '2026-11-20T10:00:00Z', 'c1', true)], purchase('2026-11-21T10:00:00Z'), null],
  ])('%s → %s', (_label, attributions, event, sendId) => {
    expect(attributeConversion(campaign, event, attributions)?.sendId ?? null).toBe(sendId);
  });

  it('ignores campaigns without a conversion', () => {
    expect(attributeConversion(aCampaign().compile(), purchase('2026-11-21T10:00:00Z'), [send('s1', '2026-11-20T10:00:00Z')])).toBeNull();
  });
});

describe('isMeasured', () => {
  it('keeps sends for attribution only when a conversion or a holdout measures them', () => {
    expect(isMeasured(aCampaign().compile())).toBe(false);
    expect(isMeasured(aCampaign().with('holdout', 0).compile())).toBe(false);
    expect(isMeasured(aCampaign().with('holdout', 10).compile())).toBe(true);
    expect(isMeasured(aCampaign().with('conversion', { event: 'purchase', within: 'P1D' }).compile())).toBe(true);
  });
});
