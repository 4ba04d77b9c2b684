import { aCampaign } from '@nudge/campaigns/testing';
import { emptyProfile, type Channel, type Profile, type Suppression } from '@nudge/contracts';
import { DEFAULT_SETTINGS, type Settings } from '@nudge/settings';
import { decideSend } from './send-decision';

const now = new Date('2026-11-24T10:00:00.000Z');

function aProfile(channels: Profile['channels'], topics: Record<string, boolean> = {}): Profile {
  return { ...emptyProfile('u1', now.toISOString()), channels, preferences: { topics } };
}

const smsWithConsent = { sms: { address: '+34600000001', consent: { marketing: true } } };

describe('decideSend', () => {
  it.each<[string, Channel[], Profile | null, string, Channel | null]>([
    ['an SMS user with marketing consent', ['sms'], aProfile(smsWithConsent), 'sent', 'sms'],
    ['a user without a profile', ['sms'], null, 'no_address', null],
    ['a user without an SMS address', ['sms'], aProfile({ email: { address: 'a@b.c', consent: { marketing: true } } }), 'no_address', null],
    [
      'an SMS address without marketing consent',
      ['sms'],
      aProfile({ sms: { address: '+34600000001', consent: { transactional: true } } }),
      'no_consent',
      null,
    ],
    [
      'withdrawn marketing consent',
      ['sms'],
      aProfile({ sms: { address: '+34600000001', consent: { marketing: false } } }),
      'no_consent',
      null,
    ],
    [
      'a fallback chain whose first channel has no consent',
      ['whatsapp', 'sms'],
      aProfile({ whatsapp: { address: '+34600000001', consent: { marketing: false } }, ...smsWithConsent }),
      'sent',
      'sms',
    ],
    ['a fallback chain whose first channel has no address', ['whatsapp', 'sms'], aProfile(smsWithConsent), 'sent', 'sms'],
  ])('%s → %s', (_label, channels, profile, outcome, channel) => {
    const campaign = aCampaign()
      .withChannels(...channels)
      .compile();
    const verdict = decideSend({ campaign, profile, now, settings: DEFAULT_SETTINGS, ledger: [] });
    expect(verdict.outcome).toBe(outcome);
    expect(verdict).toMatchObject(channel ? { channel, to: '+34600000001' } : {});
  });

  it('refuses a campaign paused after the send was scheduled', () => {
    const verdict = decideSend({
      campaign: aCampaign().withStatus('paused').compile(),
      profile: aProfile(smsWithConsent),
      now,
      settings: DEFAULT_SETTINGS,
      ledger: [],
    });
    expect(verdict.outcome).toBe('campaign_inactive');
  });

  it('refuses a topic the user switched off, naming it', () => {
    const campaign = aCampaign().with('topic', 'promotions').compile();
    const verdict = decideSend({
      campaign,
      profile: aProfile(smsWithConsent, { promotions: false }),
      now,
      settings: DEFAULT_SETTINGS,
      ledger: [],
    });
    expect(verdict).toMatchObject({ outcome: 'no_consent', reason: expect.stringContaining('promotions') });
  });

  it('needs transactional consent for a transactional campaign', () => {
    const campaign = aCampaign().with('category', 'transactional').compile();
    expect(decideSend({ campaign, profile: aProfile(smsWithConsent), now, settings: DEFAULT_SETTINGS, ledger: [] }).outcome).toBe(
      'no_consent',
    );
  });
});

describe('decideSend: frequency caps', () => {
  const marketingCap: Settings = { ...DEFAULT_SETTINGS, frequencyCaps: [{ category: 'marketing', channel: 'any', max: 2, per: 'P7D' }] };
  const sent = (campaignId: string, hoursAgo: number) => ({
    campaignId,
    channel: 'sms' as const,
    category: 'marketing' as const,
    sentAt: new Date(now.getTime() - hoursAgo * 3_600_000),
  });

  it.each([
    ['one send below the global cap', [sent('a', 1)], DEFAULT_SETTINGS, 'sent'],
    ['at the global cap', [sent('a', 1), sent('b', 2)], marketingCap, 'capped'],
    ['with the older send out of the window', [sent('a', 1), sent('b', 24 * 7)], marketingCap, 'sent'],
  ])('%s → %s', (_label, ledger, settings, outcome) => {
    const verdict = decideSend({ campaign: aCampaign().compile(), profile: aProfile(smsWithConsent), now, settings, ledger });
    expect(verdict.outcome).toBe(outcome);
  });

  it('names the cap that refused', () => {
    const verdict = decideSend({
      campaign: aCampaign().compile(),
      profile: aProfile(smsWithConsent),
      now,
      settings: marketingCap,
      ledger: [sent('a', 1), sent('b', 2)],
    });
    expect(verdict.reason).toMatch(/global marketing cap 2 per P7D/);
  });

  it('lets a transactional message through a marketing cap', () => {
    const campaign = aCampaign().with('category', 'transactional').compile();
    const profile = aProfile({ sms: { address: '+34600000001', consent: { transactional: true } } });
    expect(decideSend({ campaign, profile, now, settings: marketingCap, ledger: [sent('a', 1), sent('b', 2)] }).outcome).toBe('sent');
  });

  it("applies the user's own weekly limit", () => {
    const profile = { ...aProfile(smsWithConsent), preferences: { topics: {}, maxPerWeek: 1 } };
    expect(decideSend({ campaign: aCampaign().compile(), profile, now, settings: DEFAULT_SETTINGS, ledger: [sent('a', 30)] }).outcome).toBe(
      'capped',
    );
  });
});

describe('decideSend: an address that opted out', () => {
  const optOut = (channel: Channel, suppressed = true): Suppression => ({
    channel,
    address: '+34600000001',
    suppressed,
    keyword: suppressed ? 'STOP' : 'START',
    source: 'inbound:sandbox',
    changedAt: '2026-11-20T08:00:00.000Z',
  });

  it('refuses marketing with the opt-out and its date in the reason', () => {
    const verdict = decideSend({
      campaign: aCampaign().compile(),
      profile: aProfile(smsWithConsent),
      now,
      settings: DEFAULT_SETTINGS,
      ledger: [],
      suppressions: new Map([['sms', optOut('sms')]]),
    });
    expect(verdict).toEqual({
      outcome: 'no_consent',
      reason: 'sms address +34600000001 opted out of marketing by STOP on 2026-11-20T08:00:00.000Z (inbound:sandbox)',
    });
  });

  it('sends once a START lifted it', () => {
    const suppressions = new Map([['sms', optOut('sms', false)]] as const);
    const verdict = decideSend({
      campaign: aCampaign().compile(),
      profile: aProfile(smsWithConsent),
      now,
      settings: DEFAULT_SETTINGS,
      ledger: [],
      suppressions,
    });
    expect(verdict).toMatchObject({ outcome: 'sent', channel: 'sms' });
  });

  it('still sends transactional messages to it', () => {
    const profile = aProfile({ sms: { address: '+34600000001', consent: { transactional: true } } });
    const campaign = aCampaign().with('category', 'transactional').compile();
    const suppressions = new Map([['sms', optOut('sms')]] as const);
    expect(decideSend({ campaign, profile, now, settings: DEFAULT_SETTINGS, ledger: [], suppressions }).outcome).toBe('sent');
  });

  it('falls through to the next channel of the chain, naming both refusals when none is left', () => {
    const profile = aProfile({ whatsapp: { address: '+34600000001', consent: { marketing: false } }, ...smsWithConsent });
    const campaign = aCampaign().withChannels('whatsapp', 'sms').compile();
    const suppressions = new Map([['sms', optOut('sms')]] as const);
    const verdict = decideSend({ campaign, profile, now, settings: DEFAULT_SETTINGS, ledger: [], suppressions });
    expect(verdict.outcome).toBe('no_consent');
    expect(verdict.reason).toBe(
      'no marketing consent on whatsapp; sms address +34600000001 opted out of marketing by STOP on 2026-11-20T08:00:00.000Z (inbound:sandbox)',
    );
    const stoppedOnWhatsapp = decideSend({
      campaign,
      profile: aProfile({ whatsapp: { address: '+34600000001', consent: { marketing: true } }, ...smsWithConsent }),
      now,
      settings: DEFAULT_SETTINGS,
      ledger: [],
      suppressions: new Map([['whatsapp', optOut('whatsapp')]] as const),
    });
    expect(stoppedOnWhatsapp).toMatchObject({ outcome: 'sent', channel: 'sms' });
  });
});
