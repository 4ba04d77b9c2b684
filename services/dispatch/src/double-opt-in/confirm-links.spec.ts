import { emptyProfile, type SendRequest } from '@nudge/contracts';
import { DOUBLE_OPT_IN_CAMPAIGN } from '@nudge/settings';
import { MessageComposer } from '../intake/message-composer';
import { signRecipientToken, verifyRecipientToken } from '../recipient-links/recipient-link-token';
import { ConfirmLinks } from './confirm-links';
import { isPendingOn, linkEvidence, replyEvidence } from './pending-confirmation';

const secret = 'confirm-secret-0123456789abcdef';
const decidedAt = '2026-12-03T14:00:00.000Z';
const links = new ConfirmLinks({ secrets: [secret], publicUrl: 'https://nudge.example/', ttlDays: 30 });
const message = { id: 'm-1', userId: 'ana', channel: 'email' as const, decidedAt };
const tokenOf = (url: string | undefined) => url?.split('/o/')[1] ?? '';

describe('double opt-in confirmation links', () => {
  it('carry a confirm token of the message: user, channel, message, expiry', () => {
    const link = links.link(message);
    expect(link?.url).toMatch(/^https:\/\/nudge\.example\/o\/[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/);
    expect(links.verify(tokenOf(link?.url), new Date(decidedAt))).toEqual({
      ok: true,
      claims: {
        purpose: 'confirm',
        userId: 'ana',
        channel: 'email',
        messageId: 'm-1',
        expiresAt: Date.parse('2027-01-02T14:00:00Z') / 1_000,
      },
    });
  });

  it('are refused once expired, and their token opens no other page (nor another purpose this one)', () => {
    const token = tokenOf(links.link(message)?.url);
    expect(links.verify(token, new Date('2027-01-02T14:00:00Z'))).toEqual({ ok: false, reason: 'expired' });
    expect(verifyRecipientToken([secret], token, 'unsubscribe', new Date(decidedAt))).toEqual({ ok: false, reason: 'invalid' });
    const unsubscribe = signRecipientToken(secret, { purpose: 'unsubscribe', userId: 'ana', channel: 'email', expiresAt: 2_000_000_000 });
    expect(links.verify(unsubscribe, new Date(decidedAt))).toEqual({ ok: false, reason: 'invalid' });
    expect(links.verify(`${token.slice(0, -1)}A`, new Date(decidedAt)).ok).toBe(false);
  });

  it('are off without a secret', () => {
    const off = new ConfirmLinks({ secrets: [], publicUrl: 'https://nudge.example', ttlDays: 30 });
    expect(off.link(message)).toBeUndefined();
    expect(off.verify(tokenOf(links.link(message)?.url), new Date(decidedAt))).toEqual({ ok: false, reason: 'invalid' });
  });

  describe('{{ confirm_url }}', () => {
    const composer = new MessageComposer({ publicUrl: 'https://nudge.example', confirmLinks: links });
    const sandbox = { name: 'sandbox', capabilities: { idempotencyKey: true } };
    const aRequest = (campaignId: string): SendRequest => ({
      sendId: 'snd_1',
      campaignId,
      campaignVersion: 1,
      category: 'transactional',
      stepId: 'confirm',
      userId: 'ana',
      triggerEventId: 'consent-1',
      decidedAt,
      channel: 'email',
      to: 'ana@example.com',
      message: { subject: 'Confirm', body: 'Confirm: {{ confirm_url }}' },
      scope: {
        event: {
          eventId: 'consent-1',
          userId: 'ana',
          name: 'consent_requested',
          timestamp: decidedAt,
          receivedAt: decidedAt,
          properties: {},
          context: {},
        },
        profile: {},
        campaign: { id: campaignId, version: 1 },
      },
    });

    it('renders the confirmation link of the double opt-in message', async () => {
      const { message: composed } = await composer.compose(aRequest(DOUBLE_OPT_IN_CAMPAIGN), sandbox);
      expect(composed.body).toBe(`Confirm: ${links.link({ ...message, id: composed.id })?.url}`);
    });

    it('is missing from any other campaign: no other message can confirm an opt-in', async () => {
      const { message: composed, missingVariables } = await composer.compose(aRequest('newsletter'), sandbox);
      expect(composed.body).toBe('Confirm: ');
      expect(missingVariables).toEqual(['confirm_url']);
    });
  });
});

describe('which consent a confirmation confirms', () => {
  const profile = (marketing: boolean | 'pending' | undefined) => ({
    ...emptyProfile('ana', decidedAt),
    channels: { sms: { address: '+34600000001', consent: marketing === undefined ? {} : { marketing } } },
  });

  it.each<[string, boolean, ReturnType<typeof profile> | null]>([
    ['a pending marketing consent', true, profile('pending')],
    ['a consent confirmed meanwhile', false, profile(true)],
    ['a consent refused meanwhile', false, profile(false)],
    ['no consent value', false, profile(undefined)],
    ['no profile (erased)', false, null],
  ])('%s → confirmed: %s', (_label, pending, stored) => {
    expect(isPendingOn(stored, 'sms')).toBe(pending);
    expect(isPendingOn(stored, 'whatsapp')).toBe(false);
  });

  it('from a reply, only while the profile still holds the replying address (keyed as suppressions are)', () => {
    const national = {
      ...profile('pending'),
      country: 'ES',
      channels: { sms: { address: '600 000 001', consent: { marketing: 'pending' as const } } },
    };
    expect(isPendingOn(profile('pending'), 'sms', '+34600000001')).toBe(true);
    expect(isPendingOn(national, 'sms', '+34600000001')).toBe(true);
    expect(isPendingOn(profile('pending'), 'sms', '+34600000009')).toBe(false);
    expect(isPendingOn(profile(true), 'sms', '+34600000001')).toBe(false);
  });

  it('keeps the reply or the link as evidence', () => {
    expect(replyEvidence({ provider: 'twilio', channel: 'sms', from: '+34600000001', text: ' yes ', providerMessageId: 'SM1' })).toBe(
      'sms reply "yes" from +34600000001 (inbound:twilio, message SM1)',
    );
    expect(linkEvidence('m-1')).toBe('confirmation link of message m-1');
  });
});
