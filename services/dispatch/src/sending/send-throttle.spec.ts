import type { Clock } from '@nudge/timing';
import type { ChannelRateLimit } from '../providers/providers-from-settings';
import { SendThrottle } from './send-throttle';

function aClock() {
  let now = Date.parse('2026-11-24T10:00:00.000Z');
  const clock: Clock = { now: () => new Date(now) };
  return { clock, advance: (ms: number) => (now += ms) };
}

const tenPerSecond: ChannelRateLimit = { channel: 'sms', provider: 'twilio', limit: { messages: 10, perMs: 1_000 } };

describe('SendThrottle', () => {
  it('allows a rate-limited provider what its bucket holds, at most a batch', () => {
    const { clock } = aClock();
    const throttle = new SendThrottle(clock);
    expect(throttle.take([tenPerSecond], 4)).toEqual([{ channel: 'sms', provider: 'twilio', allowance: 4 }]);
    expect(throttle.take([tenPerSecond], 500)).toEqual([{ channel: 'sms', provider: 'twilio', allowance: 6 }]);
    expect(throttle.take([tenPerSecond], 500)[0]?.allowance).toBe(0);
  });

  it('takes back what a claim did not use', () => {
    const { clock } = aClock();
    const throttle = new SendThrottle(clock);
    const allowances = throttle.take([tenPerSecond], 500);
    throttle.giveBackUnused(allowances, [
      { channel: 'sms', provider: 'twilio' },
      { channel: 'sms', provider: 'twilio' },
      { channel: 'whatsapp', provider: 'twilio' },
    ]);
    expect(throttle.take([tenPerSecond], 500)[0]?.allowance).toBe(8);
  });

  it('refills with time', () => {
    const { clock, advance } = aClock();
    const throttle = new SendThrottle(clock);
    throttle.take([tenPerSecond], 500);
    advance(300);
    expect(throttle.take([tenPerSecond], 500)[0]?.allowance).toBe(3);
  });

  it('keeps a bucket while its limit stays, and starts afresh when it changes', () => {
    const { clock } = aClock();
    const throttle = new SendThrottle(clock);
    throttle.take([tenPerSecond], 500);
    expect(throttle.take([{ ...tenPerSecond, limit: { messages: 600, perMs: 60_000 } }], 500)[0]?.allowance).toBe(0);
    expect(throttle.take([{ ...tenPerSecond, limit: { messages: 20, perMs: 1_000 } }], 500)[0]?.allowance).toBe(20);
  });
});
