import { policyKey, unknownVerdict, unknownVerdicts, UNLISTED } from './unknown-outcomes';

describe('unknownVerdict', () => {
  it('always retries through a provider that takes an idempotency key, whatever onUnknown says', () => {
    for (const category of ['marketing', 'transactional'] as const) {
      expect(unknownVerdict({ provider: 'smsapi', idempotencyKey: true, onUnknown: 'fail' }, category)).toEqual({
        retry: true,
        why: 'retried: smsapi takes an idempotency key, so a second call cannot send twice',
      });
    }
  });

  it('without a key and without a setting: transactional is retried, marketing is not', () => {
    const twilio = { provider: 'twilio', idempotencyKey: false };
    expect(unknownVerdict(twilio, 'transactional')).toEqual({
      retry: true,
      why: 'retried (onUnknown defaults to retry for transactional): the recipient may get it twice',
    });
    expect(unknownVerdict(twilio, 'marketing')).toEqual({
      retry: false,
      why: 'not retried (onUnknown defaults to fail for marketing): it may or may not have been sent',
    });
  });

  it("follows the provider's onUnknown setting, saying so", () => {
    expect(unknownVerdict({ provider: 'twilio', idempotencyKey: false, onUnknown: 'retry' }, 'marketing')).toEqual({
      retry: true,
      why: 'retried (onUnknown: retry): the recipient may get it twice',
    });
    expect(unknownVerdict({ provider: 'twilio', idempotencyKey: false, onUnknown: 'fail' }, 'transactional')).toEqual({
      retry: false,
      why: 'not retried (onUnknown: fail): it may or may not have been sent',
    });
  });

  it('lists every policy by channel and provider, with the defaults for providers no longer configured', () => {
    const verdicts = unknownVerdicts([{ channel: 'sms', provider: 'twilio', idempotencyKey: false, onUnknown: 'retry' }]);
    expect(Object.keys(verdicts).sort()).toEqual([UNLISTED, policyKey('sms', 'twilio')].sort());
    expect(verdicts[policyKey('sms', 'twilio')]!.marketing.retry).toBe(true);
    expect(verdicts[UNLISTED]!.marketing.retry).toBe(false);
    expect(verdicts[UNLISTED]!.transactional.retry).toBe(true);
  });
});
