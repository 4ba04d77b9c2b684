import { aCampaign } from '@nudge/campaigns/testing';
import { findCancellation, type ExceptionEvent } from './exception-decision';

const campaign = aCampaign()
  .with('exceptions', [{ event: 'purchase', match: { cartId: 'cartId' } }])
  .compile();
const trigger: ExceptionEvent = {
  eventId: 't-1',
  name: 'cart_abandoned',
  timestamp: '2026-11-24T10:00:00.000Z',
  properties: { cartId: 'c9' },
};
const sendAt = new Date('2026-11-24T10:30:00.000Z');
const purchase = (timestamp: string, cartId: unknown, name = 'purchase'): ExceptionEvent => ({
  eventId: 'p-1',
  name,
  timestamp,
  properties: { cartId },
});

describe('findCancellation', () => {
  it.each([
    ['a purchase of the same cart before the send', purchase('2026-11-24T10:10:00.000Z', 'c9'), true],
    ['a purchase exactly at the send time', purchase('2026-11-24T10:30:00.000Z', 'c9'), true],
    ['a purchase after the send', purchase('2026-11-24T10:30:00.001Z', 'c9'), false],
    ['a purchase before the trigger (out of order arrival changes nothing)', purchase('2026-11-24T09:59:00.000Z', 'c9'), false],
    ['a purchase at the same instant as the trigger', purchase('2026-11-24T10:00:00.000Z', 'c9'), false],
    ['a purchase of another cart', purchase('2026-11-24T10:10:00.000Z', 'c10'), false],
    ['a purchase without a cart id', purchase('2026-11-24T10:10:00.000Z', undefined), false],
    ['another event name', purchase('2026-11-24T10:10:00.000Z', 'c9', 'app_opened'), false],
  ])('%s → cancels: %s', (_label, exception, cancels) => {
    expect(findCancellation(campaign, trigger, [exception], sendAt) !== null).toBe(cancels);
  });

  it('cancels on any event of the name when no match is given', () => {
    const anyPurchase = aCampaign()
      .with('exceptions', [{ event: 'purchase' }])
      .compile();
    expect(findCancellation(anyPurchase, trigger, [purchase('2026-11-24T10:01:00.000Z', 'other')], sendAt)).not.toBeNull();
  });

  it('names the exception event in the reason', () => {
    const found = findCancellation(campaign, trigger, [purchase('2026-11-24T10:10:00.000Z', 'c9')], sendAt);
    expect(found?.reason).toContain('purchase p-1');
    expect(found?.reason).toContain('cartId="c9"');
  });
});
