import { loadDispatchConfig } from '../config';
import { verifyRecipientToken } from './recipient-link-token';
import { recipientLinksFrom } from './recipient-links';

const message = { id: 'm-1', userId: 'ana', channel: 'email' as const, decidedAt: '2026-11-23T10:00:00.000Z' };
const linksWith = (env: Record<string, string>) => recipientLinksFrom(loadDispatchConfig({ PUBLIC_URL: 'https://nudge.example/', ...env }));

describe('recipient links from the config', () => {
  it('signs with the first NUDGE_LINK_SECRET, under PUBLIC_URL, expiring NUDGE_LINK_TTL_DAYS after the decision', () => {
    const link = linksWith({
      NUDGE_LINK_SECRET: 'first-secret-0123456789, second-secret-0123456789',
      NUDGE_LINK_TTL_DAYS: '7',
    }).unsubscribeLink(message);
    expect(link?.url).toBe(`https://nudge.example/u/${link?.token}`);
    expect(verifyRecipientToken(['first-secret-0123456789'], link!.token, 'unsubscribe', new Date('2026-11-24T00:00:00Z'))).toEqual({
      ok: true,
      claims: {
        purpose: 'unsubscribe',
        userId: 'ana',
        channel: 'email',
        messageId: 'm-1',
        expiresAt: Date.parse('2026-11-30T10:00:00Z') / 1_000,
      },
    });
  });

  it('accepts a link of the second (previous) secret', () => {
    const old = linksWith({ NUDGE_LINK_SECRET: 'second-secret-0123456789' }).unsubscribeLink(message)!;
    const now = new Date('2026-11-24T00:00:00Z');
    expect(
      linksWith({ NUDGE_LINK_SECRET: 'first-secret-0123456789,second-secret-0123456789' }).verifyUnsubscribe(old.token, now),
    ).toMatchObject({
      ok: true,
    });
    expect(linksWith({ NUDGE_LINK_SECRET: 'first-secret-0123456789' }).verifyUnsubscribe(old.token, now)).toEqual({
      ok: false,
      reason: 'invalid',
    });
  });

  it('the preference centre link is /p/{token}; its token opens no unsubscribe page, and the reverse', () => {
    const links = linksWith({ NUDGE_LINK_SECRET: 'first-secret-0123456789' });
    const now = new Date('2026-11-24T00:00:00Z');
    const preferences = links.preferencesLink(message)!;
    const unsubscribe = links.unsubscribeLink(message)!;
    expect(preferences.url).toBe(`https://nudge.example/p/${preferences.token}`);
    expect(links.verifyPreferences(preferences.token, now)).toMatchObject({ ok: true, claims: { purpose: 'preferences', userId: 'ana' } });
    expect(links.verifyUnsubscribe(preferences.token, now)).toEqual({ ok: false, reason: 'invalid' });
    expect(links.verifyPreferences(unsubscribe.token, now)).toEqual({ ok: false, reason: 'invalid' });
  });

  it('without NUDGE_LINK_SECRET there are no links, and no token is accepted', () => {
    const off = linksWith({});
    expect(off.enabled).toBe(false);
    expect(off.unsubscribeLink(message)).toBeUndefined();
    expect(off.preferencesLink(message)).toBeUndefined();
  });

  it('refuses a short secret without showing it', () => {
    expect(() => linksWith({ NUDGE_LINK_SECRET: 'ok-secret-0123456789,short' })).toThrow(
      'NUDGE_LINK_SECRET: every secret must be at least 16 characters (got a value not shown)',
    );
  });
});
