import { aCampaign } from '@nudge/campaigns/testing';
import type { LedgerEntry } from '@nudge/capping';
import { emptyProfile, type Profile, type Suppression } from '@nudge/contracts';
import { DEFAULT_SETTINGS } from '@nudge/settings';
import { decideFallbackSend, fallbackReason, type FallbackStep } from './fallback-decision';

// 2026-12-03T20:00:30Z is 21:00:30 in Madrid: just after a 09:00–21:00 window closed.
const afterHours = new Date('2026-12-03T20:00:30.000Z');
const inHours = new Date('2026-12-03T11:00:00.000Z');

const step: FallbackStep = { of: 'snd_whatsapp', from: 'whatsapp', channels: ['sms', 'email'], after: 'PT3S', observed: 'delivered' };

function aProfile(channels: Profile['channels'], preferences: Partial<Profile['preferences']> = {}): Profile {
  return {
    ...emptyProfile('ana', inHours.toISOString()),
    timezone: 'Europe/Madrid',
    channels,
    preferences: { topics: {}, ...preferences },
  };
}

const reachable = aProfile({
  whatsapp: { address: '+34600000001', consent: { marketing: true } },
  sms: { address: '+34600000001', consent: { marketing: true } },
  email: { address: 'ana@example.com', consent: { marketing: true } },
});
const smsWithdrawn = aProfile({
  sms: { address: '+34600000001', consent: { marketing: false } },
  email: { address: 'ana@example.com', consent: { marketing: false } },
});
const smsStopped: Suppression = {
  channel: 'sms',
  address: '+34600000001',
  suppressed: true,
  keyword: 'STOP',
  source: 'inbound:sandbox',
  changedAt: '2026-12-01T10:00:00.000Z',
};

const chain = aCampaign()
  .withChannels('whatsapp', 'sms', 'email')
  .with('timeWindow', { start: '09:00', end: '21:00', timezone: 'recipient' });
const whatsappSent: LedgerEntry = {
  campaignId: 'cart-abandon-sms',
  channel: 'whatsapp',
  category: 'marketing',
  sentAt: inHours,
  sendId: 'snd_whatsapp',
};
const otherSms: LedgerEntry = { campaignId: 'other', channel: 'sms', category: 'marketing', sentAt: inHours, sendId: 'snd_other' };

describe('fallbackReason', () => {
  it.each<[FallbackStep['observed'], string]>([
    ['delivered', 'fallback after whatsapp unread for PT3S'],
    ['sent', 'fallback after whatsapp unread for PT3S'],
    ['unknown', 'fallback after whatsapp unread for PT3S'],
    ['failed', 'fallback after whatsapp failed'],
    ['expired', 'fallback after whatsapp expired'],
  ])('a message %s: "%s"', (observed, reason) => {
    expect(fallbackReason({ ...step, observed })).toBe(reason);
  });
});

describe('decideFallbackSend', () => {
  it.each<
    [string, { profile: Profile; now?: Date; suppressions?: Map<'sms', Suppression>; ledger?: LedgerEntry[]; caps?: unknown }, object]
  >([
    ['in hours, reachable on SMS', { profile: reachable }, { outcome: 'sent', channel: 'sms', to: '+34600000001' }],
    [
      'after the window closed',
      { profile: reachable, now: afterHours },
      { outcome: 'deferred_window', scheduledFor: new Date('2026-12-04T08:00:00.000Z') },
    ],
    [
      'SMS opted out by STOP: the next channel of the chain',
      { profile: reachable, suppressions: new Map([['sms', smsStopped]]) },
      { outcome: 'sent', channel: 'email' },
    ],
    ['no consent left on the chain', { profile: smsWithdrawn }, { outcome: 'no_consent' }],
    [
      'no address on the chain',
      { profile: aProfile({ whatsapp: { address: '+34600000001', consent: { marketing: true } } }) },
      { outcome: 'no_address' },
    ],
    [
      'a campaign cap of one a day: the replaced WhatsApp does not count',
      { profile: reachable, ledger: [whatsappSent], caps: [{ max: 1, per: 'P1D' }] },
      { outcome: 'sent', channel: 'sms' },
    ],
    [
      'a campaign cap of one a day already used by another send of it',
      { profile: reachable, ledger: [whatsappSent, { ...whatsappSent, sendId: 'snd_earlier' }], caps: [{ max: 1, per: 'P1D' }] },
      { outcome: 'capped' },
    ],
    [
      "the user's weekly limit, reached by other campaigns",
      { profile: aProfile(reachable.channels, { maxPerWeek: 1 }), ledger: [otherSms] },
      { outcome: 'capped' },
    ],
  ])('%s', (_label, { profile, now = inHours, suppressions, ledger = [], caps }, expected) => {
    const campaign = (caps ? chain.with('frequencyCaps', caps) : chain).compile();
    const verdict = decideFallbackSend({ campaign, profile, now, settings: DEFAULT_SETTINGS, ledger, suppressions }, step);
    expect(verdict).toMatchObject(expected);
    expect(verdict.reason.startsWith('fallback after whatsapp unread for PT3S: ')).toBe(true);
  });

  it('never goes back to the channel it falls back from, even if the user can receive it', () => {
    const campaign = chain.compile();
    const verdict = decideFallbackSend(
      { campaign, profile: smsWithdrawn, now: inHours, settings: DEFAULT_SETTINGS, ledger: [] },
      { ...step, channels: ['sms'] },
    );
    expect(verdict).toMatchObject({
      outcome: 'no_consent',
      reason: 'fallback after whatsapp unread for PT3S: no marketing consent on sms',
    });
  });

  it('says when the window defers it, and to when', () => {
    const verdict = decideFallbackSend(
      { campaign: chain.compile(), profile: reachable, now: afterHours, settings: DEFAULT_SETTINGS, ledger: [] },
      step,
    );
    expect(verdict.reason).toMatch(/^fallback after whatsapp unread for PT3S: .*deferred to 2026-12-04T08:00:00.000Z$/);
  });
});
