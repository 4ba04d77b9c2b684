import { aCampaign } from '@nudge/campaigns/testing';
import { emptyProfile, type EventEnvelope, type Profile } from '@nudge/contracts';
import { DEFAULT_SETTINGS, settingsSchema, type Settings } from '@nudge/settings';
import { decideOptInConfirmation, isOptInRequest } from './opt-in-confirmation';
import { chooseChannel, decideSend } from './send-decision';

const now = new Date('2026-12-03T14:00:00.000Z');
const askedAt = '2026-12-03T13:59:00.000Z';

function aProfile(channels: Profile['channels']): Profile {
  return { ...emptyProfile('ana', now.toISOString()), channels };
}

const pendingSms: Profile['channels'] = {
  sms: {
    address: '+34600000001',
    consent: { marketing: 'pending' },
    consentLog: { marketing: { value: 'pending', at: askedAt, source: 'signup-form' } },
  },
};

function aRequest(properties: Record<string, unknown> = { channel: 'sms', category: 'marketing', value: 'pending' }): EventEnvelope {
  return {
    eventId: 'consent-1',
    userId: 'ana',
    name: 'consent_requested',
    timestamp: askedAt,
    receivedAt: askedAt,
    properties,
    context: {},
  };
}

const withSmsConfirmation: Settings = settingsSchema.parse({ doubleOptIn: { sms: { body: 'Reply YES to get offers from ACME.' } } });

describe('pending marketing consent at send time', () => {
  it('is never consent: no_consent, naming the pending request and its date', () => {
    const campaign = aCampaign().withChannels('sms').compile();
    const verdict = decideSend({ campaign, profile: aProfile(pendingSms), now, settings: DEFAULT_SETTINGS, ledger: [] });
    expect(verdict).toEqual({
      outcome: 'no_consent',
      reason: `marketing consent on sms is pending double opt-in confirmation (since ${askedAt})`,
    });
  });

  it('lets a fallback chain skip the pending channel for one with consent', () => {
    const channels = { ...pendingSms, whatsapp: { address: '+34600000001', consent: { marketing: true } } };
    expect(chooseChannel(['sms', 'whatsapp'], 'marketing', aProfile(channels))).toMatchObject({ outcome: 'sent', channel: 'whatsapp' });
  });

  it('names the pending channel beside those without consent', () => {
    const channels = { ...pendingSms, email: { address: 'ana@example.com', consent: { marketing: false } } };
    expect(chooseChannel(['email', 'sms'], 'marketing', aProfile(channels))).toEqual({
      outcome: 'no_consent',
      reason: `no marketing consent on email; marketing consent on sms is pending double opt-in confirmation (since ${askedAt})`,
    });
  });
});

describe('decideOptInConfirmation', () => {
  it('answers only consent_requested events', () => {
    expect(isOptInRequest({ name: 'consent_requested' })).toBe(true);
    expect(isOptInRequest({ name: 'consent_granted' })).toBe(false);
  });

  it.each<[string, EventEnvelope, Profile | null, Settings, string]>([
    ['a pending SMS consent with an SMS confirmation configured', aRequest(), aProfile(pendingSms), withSmsConfirmation, 'sent'],
    ['a channel with no confirmation configured', aRequest(), aProfile(pendingSms), DEFAULT_SETTINGS, 'campaign_inactive'],
    [
      'a consent confirmed before the request was processed',
      aRequest(),
      aProfile({ sms: { address: '+34600000001', consent: { marketing: true } } }),
      withSmsConfirmation,
      'conditions_not_met',
    ],
    ['a user erased meanwhile', aRequest(), null, withSmsConfirmation, 'conditions_not_met'],
    [
      'a pending consent without an address',
      aRequest(),
      aProfile({ sms: { consent: { marketing: 'pending' } } }),
      withSmsConfirmation,
      'no_address',
    ],
    [
      'an event naming no known channel',
      aRequest({ channel: 'fax', category: 'marketing' }),
      aProfile(pendingSms),
      withSmsConfirmation,
      'conditions_not_met',
    ],
  ])('%s → %s', (_label, event, profile, settings, outcome) => {
    expect(decideOptInConfirmation(event, profile, settings).outcome).toBe(outcome);
  });

  it('sends the configured message to the pending address', () => {
    expect(decideOptInConfirmation(aRequest(), aProfile(pendingSms), withSmsConfirmation)).toEqual({
      outcome: 'sent',
      channel: 'sms',
      to: '+34600000001',
      message: { body: 'Reply YES to get offers from ACME.' },
      reason: 'double opt-in confirmation of marketing on sms',
    });
  });

  it('says why nothing is sent where double opt-in is not configured', () => {
    expect(decideOptInConfirmation(aRequest(), aProfile(pendingSms), DEFAULT_SETTINGS).reason).toBe(
      'double opt-in is not configured for sms (settings doubleOptIn.sms): no confirmation sent; marketing stays blocked while pending',
    );
  });
});
