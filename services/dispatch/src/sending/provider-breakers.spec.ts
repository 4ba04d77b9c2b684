import { ProviderPermanentError, ProviderTransientError, ProviderUnknownOutcomeError, type SendResult } from '@nudge/channels';
import { eventually } from '@nudge/testing';
import { ProviderBreakers } from './provider-breakers';

const accepted: SendResult = { outcome: 'accepted', status: 'sent', providerMessageId: 'p-1' };
const down: SendResult = { outcome: 'rejected', error: new ProviderTransientError('Twilio answered HTTP 503') };
const silent: SendResult = { outcome: 'rejected', error: new ProviderUnknownOutcomeError('Twilio did not answer within 10000 ms') };
const refused: SendResult = { outcome: 'rejected', error: new ProviderPermanentError('21211: invalid To number') };

describe('ProviderBreakers', () => {
  it('opens after consecutive failed calls (transient or unknown) and holds the next calls without making them', async () => {
    const changes: string[] = [];
    const breakers = new ProviderBreakers({ failures: 3, probeAfterMs: 60_000, onChange: (p, state) => changes.push(`${p} ${state}`) });
    for (const result of [down, silent, down]) expect(await breakers.call('twilio', async () => result)).toBe(result);

    let called = false;
    const held = await breakers.call('twilio', async () => ((called = true), accepted));

    expect(called).toBe(false);
    expect(held).toEqual({ outcome: 'held', retryInMs: expect.any(Number) });
    expect((held as { retryInMs: number }).retryInMs).toBeGreaterThan(59_000);
    expect(changes).toEqual(['twilio open']);
    expect(breakers.allowance('twilio')).toBe(0);
  });

  it('counts a refusal as an answer: a provider that refuses messages is up', async () => {
    const breakers = new ProviderBreakers({ failures: 2, probeAfterMs: 60_000 });
    for (const result of [down, refused, down, refused, down]) await breakers.call('twilio', async () => result);
    expect(breakers.allowance('twilio')).toBeUndefined();
  });

  it('keeps one breaker per provider: another provider is still called', async () => {
    const breakers = new ProviderBreakers({ failures: 1, probeAfterMs: 60_000 });
    await breakers.call('twilio', async () => down);
    expect(await breakers.call('smsapi', async () => accepted)).toBe(accepted);
    expect(
      breakers.allowances([
        { channel: 'sms', provider: 'twilio' },
        { channel: 'whatsapp', provider: 'smsapi' },
      ]),
    ).toEqual([{ channel: 'sms', provider: 'twilio', allowance: 0 }]);
  });

  it('lets one probe through once it is due: a success closes the breaker, a failure opens it again', async () => {
    const changes: string[] = [];
    const breakers = new ProviderBreakers({ failures: 1, probeAfterMs: 100, onChange: (p, state) => changes.push(`${p} ${state}`) });
    await breakers.call('twilio', async () => down);
    await eventually(() => (breakers.allowance('twilio') === 1 ? true : undefined), { what: 'the probe to be due', timeoutMs: 5_000 });

    expect(await breakers.call('twilio', async () => down)).toBe(down);
    expect(breakers.allowance('twilio')).toBe(0);
    await eventually(() => (breakers.allowance('twilio') === 1 ? true : undefined), { what: 'the next probe to be due', timeoutMs: 5_000 });
    expect(await breakers.call('twilio', async () => accepted)).toBe(accepted);

    expect(breakers.allowance('twilio')).toBeUndefined();
    expect(changes).toEqual(['twilio open', 'twilio open', 'twilio closed']);
  });
});
