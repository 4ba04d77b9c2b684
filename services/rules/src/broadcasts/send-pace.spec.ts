import { DEFAULT_SETTINGS, type Settings } from '@nudge/settings';
import { batchSizeFor, pauseAfter, sendPaceOf } from './send-pace';

function withProviders(providers: Record<string, { provider: string; rateLimit?: string }>): Settings {
  return { ...DEFAULT_SETTINGS, providers } as Settings;
}

describe('send pace', () => {
  const settings = withProviders({
    sms: { provider: 'twilio', rateLimit: '50/s' },
    whatsapp: { provider: 'whatsapp-cloud', rateLimit: '600/m' },
    email: { provider: 'smtp' },
  });

  it('takes the rate limits of the broadcast’s own channels only', () => {
    expect([...sendPaceOf(['sms', 'email'], settings).keys()]).toEqual(['sms']);
    expect([...sendPaceOf(['whatsapp', 'sms'], settings).keys()]).toEqual(['whatsapp', 'sms']);
    expect(sendPaceOf(['push'], settings).size).toBe(0);
  });

  it.each([
    ['no limit (sandbox): the configured batch size', [], 1000, 1000],
    ['50/s: one second of sends', ['sms'], 1000, 50],
    ['600/m and 50/s: the slowest channel', ['whatsapp', 'sms'], 1000, 10],
    ['a limit above the batch size: the batch size', ['sms'], 20, 20],
  ] as const)('batch size with %s', (_, channels, max, expected) => {
    expect(batchSizeFor(sendPaceOf(channels, settings), max)).toBe(expected);
  });

  it('never reads less than one profile per batch', () => {
    expect(batchSizeFor(sendPaceOf(['sms'], withProviders({ sms: { provider: 'twilio', rateLimit: '10/h' } })), 1000)).toBe(1);
  });

  it.each([
    ['nothing sent', new Map(), 0],
    ['50 SMS at 50/s: a second', new Map([['sms', 50]]), 1000],
    [
      '10 WhatsApp at 600/m and 5 SMS at 50/s: the longer',
      new Map([
        ['whatsapp', 10],
        ['sms', 5],
      ]),
      1000,
    ],
    ['sends on an unlimited channel: no pause', new Map([['email', 5000]]), 0],
  ] as const)('pause after %s', (_, sent, expected) => {
    expect(pauseAfter(sendPaceOf(['whatsapp', 'sms', 'email'], settings), new Map(sent))).toBe(expected);
  });

  it('names a rate limit it cannot read', () => {
    expect(() => sendPaceOf(['sms'], withProviders({ sms: { provider: 'twilio', rateLimit: '0/s' } }))).toThrow('providers.sms.rateLimit');
  });
});
