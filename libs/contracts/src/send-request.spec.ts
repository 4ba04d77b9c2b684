import { deriveSendId } from './send-request';

describe('deriveSendId', () => {
  const base = { campaignId: 'cart-abandon-sms', triggerEventId: 'e-123', stepId: 'main' };

  it('is the same for the same campaign, trigger event and step', () => {
    expect(deriveSendId(base)).toBe(deriveSendId({ ...base }));
  });

  it.each([
    ['another campaign', { ...base, campaignId: 'other' }],
    ['another trigger event', { ...base, triggerEventId: 'e-124' }],
    ['another step', { ...base, stepId: 'reminder-2' }],
  ])('differs for %s', (_label, parts) => {
    expect(deriveSendId(parts)).not.toBe(deriveSendId(base));
  });

  it('keeps parts apart that would collide if simply joined', () => {
    const left = deriveSendId({ campaignId: 'a/b', triggerEventId: 'c', stepId: 'main' });
    const right = deriveSendId({ campaignId: 'a', triggerEventId: 'b/c', stepId: 'main' });
    expect(left).not.toBe(right);
  });

  it('looks like a send id', () => {
    expect(deriveSendId(base)).toMatch(/^snd_[0-9a-f]{32}$/);
  });
});
