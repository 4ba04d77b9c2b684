import { aCampaign } from './testing';
import { CampaignIndex } from './campaign-index';

const cartReminder = aCampaign('cart-reminder').compile(1);
const cartDiscount = aCampaign('cart-discount').compile(1);
const welcome = aCampaign('welcome').withTrigger('signed_up').compile(1);

function indexOf(...campaigns: (typeof cartReminder)[]): CampaignIndex {
  const index = new CampaignIndex();
  campaigns.forEach((campaign) => index.put(campaign));
  return index;
}

describe('CampaignIndex', () => {
  it('finds the campaigns an event triggers, by name', () => {
    const index = indexOf(cartReminder, cartDiscount, welcome);
    expect(index.forTrigger('cart_abandoned')).toEqual([cartReminder, cartDiscount]);
    expect(index.forTrigger('signed_up')).toEqual([welcome]);
    expect(index.forTrigger('purchase')).toEqual([]);
    expect(index.size).toBe(3);
  });

  it('replaces the version held for an id', () => {
    const index = indexOf(cartReminder, cartDiscount);
    const v2 = aCampaign('cart-reminder').withDelay('PT1H').compile(2);
    index.put(v2);
    expect(index.get('cart-reminder')).toBe(v2);
    expect(index.forTrigger('cart_abandoned')).toEqual([cartDiscount, v2]);
    expect(index.size).toBe(2);
  });

  it('moves a campaign whose new version has another trigger', () => {
    const index = indexOf(cartReminder);
    const retargeted = aCampaign('cart-reminder').withTrigger('checkout_started').compile(2);
    index.put(retargeted);
    expect(index.forTrigger('cart_abandoned')).toEqual([]);
    expect(index.forTrigger('checkout_started')).toEqual([retargeted]);
  });

  it('forgets a removed campaign', () => {
    const index = indexOf(cartReminder, welcome);
    expect(index.remove('cart-reminder')).toBe(true);
    expect(index.remove('cart-reminder')).toBe(false);
    expect(index.get('cart-reminder')).toBeUndefined();
    expect(index.forTrigger('cart_abandoned')).toEqual([]);
    expect(index.all()).toEqual([welcome]);
  });

  it('a list it handed out does not change when the index does', () => {
    const index = indexOf(cartReminder);
    const before = index.forTrigger('cart_abandoned');
    index.put(cartDiscount);
    expect(before).toEqual([cartReminder]);
  });
});

describe('CampaignIndex exceptions', () => {
  it('finds campaigns by the events that cancel them, and forgets them on remove', () => {
    const index = new CampaignIndex();
    const withException = aCampaign('cart')
      .with('exceptions', [{ event: 'purchase', match: { cartId: 'cartId' } }])
      .compile();
    index.put(withException);
    index.put(aCampaign('other').compile());
    expect(index.forException('purchase').map((c) => c.id)).toEqual(['cart']);
    expect(index.isRelevant('purchase')).toBe(true);
    expect(index.isRelevant('app_opened')).toBe(false);
    index.remove('cart');
    expect(index.forException('purchase')).toEqual([]);
  });
});

describe('CampaignIndex conversions', () => {
  it('finds campaigns by their conversion event', () => {
    const index = new CampaignIndex();
    index.put(aCampaign('cart').with('conversion', { event: 'purchase', within: 'P3D' }).compile());
    expect(index.forConversion('purchase').map((c) => c.id)).toEqual(['cart']);
    expect(index.isRelevant('purchase')).toBe(true);
    index.remove('cart');
    expect(index.forConversion('purchase')).toEqual([]);
  });
});

describe('CampaignIndex with journeys', () => {
  const journey = aCampaign('onboarding')
    .withTrigger('signed_up')
    .withSteps([
      { id: 'hello', type: 'message', message: { channel: 'sms', body: 'Hi' } },
      { id: 'first-order', type: 'waitFor', event: 'purchase', timeout: 'P3D' },
    ])
    .compile();

  it('finds journeys by the events their waitFor steps await, and forgets them on removal', () => {
    const index = new CampaignIndex();
    expect(index.isRelevant('message_clicked')).toBe(false);
    index.put(journey);
    expect(index.forAwaited('purchase').map((c) => c.id)).toEqual(['onboarding']);
    expect(index.isRelevant('purchase')).toBe(true);
    // While a journey runs, its messages' status events may feed its branches.
    expect(index.isRelevant('message_clicked')).toBe(true);
    expect(index.hasJourneys).toBe(true);
    index.remove('onboarding');
    expect(index.forAwaited('purchase')).toEqual([]);
    expect(index.isRelevant('purchase')).toBe(false);
    expect(index.isRelevant('message_clicked')).toBe(false);
  });

  it('finds a message status event relevant only when it reports a journey message', () => {
    const index = new CampaignIndex();
    index.put(journey);
    index.put(aCampaign('one-message').compile());
    const clicked = (campaignId: string) => ({ name: 'message_clicked', properties: { campaignId } });
    expect(index.isRelevantEvent(clicked('onboarding'))).toBe(true);
    expect(index.isRelevantEvent(clicked('one-message'))).toBe(false);
    expect(index.isRelevantEvent({ name: 'purchase', properties: {} })).toBe(true);
  });

  it("finds a read, click or reply relevant when it reports a fallback chain's message (it cancels the fallback)", () => {
    const index = new CampaignIndex();
    expect(index.isRelevant('message_read')).toBe(false);
    index.put(
      aCampaign('wa-first')
        .withMessage({ channel: ['whatsapp', 'sms'], fallbackAfter: 'PT2H' })
        .compile(),
    );
    index.put(aCampaign('one-message').compile());
    expect(index.isRelevant('message_read')).toBe(true);
    expect(index.isRelevant('message_delivered')).toBe(false);
    const status = (name: string, campaignId: string) => ({ name, properties: { campaignId } });
    expect(index.isRelevantEvent(status('message_read', 'wa-first'))).toBe(true);
    expect(index.isRelevantEvent(status('message_replied', 'wa-first'))).toBe(true);
    expect(index.isRelevantEvent(status('message_delivered', 'wa-first'))).toBe(false);
    expect(index.isRelevantEvent(status('message_read', 'one-message'))).toBe(false);
    index.put(aCampaign('wa-first').compile());
    expect(index.isRelevant('message_read')).toBe(false);
  });

  it("always finds dispatch's fallback_due relevant: it names a fallback step to decide", () => {
    const index = new CampaignIndex();
    expect(index.isRelevant('fallback_due')).toBe(true);
    expect(index.isRelevantEvent({ name: 'fallback_due', properties: {} })).toBe(true);
  });

  it('counts a replaced journey once', () => {
    const index = new CampaignIndex();
    index.put(journey);
    index.put(journey);
    index.remove('onboarding');
    expect(index.hasJourneys).toBe(false);
  });
});
