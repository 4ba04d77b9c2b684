import { createHmac } from 'node:crypto';
import { signRecipientToken, verifyRecipientToken, type RecipientLinkClaims } from './recipient-link-token';

const SECRET = 'link-secret-0123456789abcdef';
const now = new Date('2026-11-24T10:00:00Z');
const claims: RecipientLinkClaims = {
  purpose: 'unsubscribe',
  userId: 'ana',
  channel: 'email',
  messageId: '6f1c1c8e-58a4-4a43-a0f5-0a4f3c6b7d11',
  expiresAt: Date.parse('2026-12-24T10:00:00Z') / 1_000,
};
const token = signRecipientToken(SECRET, claims);
const [payload, mac] = token.split('.') as [string, string];
/** A token over a payload of our choosing, signed with `secret`. */
const forged = (parts: unknown, secret = SECRET) => {
  const body = Buffer.from(JSON.stringify(parts), 'utf8').toString('base64url');
  return `${body}.${createHmac('sha256', secret).update(body, 'utf8').digest('base64url')}`;
};
/** `text` with its character at `index` changed to another base64url character. */
const flipped = (text: string, index: number) => `${text.slice(0, index)}${text[index] === 'A' ? 'B' : 'A'}${text.slice(index + 1)}`;

describe('recipient link tokens', () => {
  it('a signed token verifies to its claims, and is only URL-safe characters', () => {
    expect(verifyRecipientToken([SECRET], token, 'unsubscribe', now)).toEqual({ ok: true, claims });
    expect(token).toMatch(/^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]{43}$/);
  });

  it('the same claims give the same token (body and headers of a message agree)', () => {
    expect(signRecipientToken(SECRET, { ...claims })).toBe(token);
  });

  it('a token without a message id verifies without one', () => {
    const { messageId: _none, ...withoutMessage } = claims;
    expect(verifyRecipientToken([SECRET], signRecipientToken(SECRET, withoutMessage), 'unsubscribe', now)).toEqual({
      ok: true,
      claims: withoutMessage,
    });
  });

  it('expires at expiresAt', () => {
    const at = new Date(claims.expiresAt * 1_000);
    expect(verifyRecipientToken([SECRET], token, 'unsubscribe', new Date(at.getTime() - 1))).toMatchObject({ ok: true });
    expect(verifyRecipientToken([SECRET], token, 'unsubscribe', at)).toEqual({ ok: false, reason: 'expired' });
  });

  it.each([
    [
      'another user in the payload, the mac kept',
      `${forged([1, 'unsubscribe', 'bea', 'email', claims.messageId, claims.expiresAt]).split('.')[0]}.${mac}`,
    ],
    [
      'a later expiry in the payload, the mac kept',
      `${forged([1, 'unsubscribe', 'ana', 'email', claims.messageId, claims.expiresAt + 86_400]).split('.')[0]}.${mac}`,
    ],
    ['a character of the payload changed', `${flipped(payload, 5)}.${mac}`],
    ['a character of the mac changed', `${payload}.${flipped(mac, 10)}`],
    ['the mac cut short', `${payload}.${mac.slice(0, 20)}`],
    ['no mac', payload],
    ['an empty token', ''],
    ['two dots', `${payload}.${mac}.${mac}`],
    ['signed with another secret', signRecipientToken('another-secret-0123456789', claims)],
    ['hex where base64url is expected', `${payload}.${createHmac('sha256', SECRET).update(payload).digest('hex')}`],
    ['a token far too long', `${'A'.repeat(2_000)}.${mac}`],
  ])('refuses %s as invalid', (_case, presented) => {
    expect(verifyRecipientToken([SECRET], presented, 'unsubscribe', now)).toEqual({ ok: false, reason: 'invalid' });
  });

  it.each([
    ['an unknown purpose', [1, 'preferences-of-everyone', 'ana', 'email', null, claims.expiresAt]],
    ['an unknown version', [2, 'unsubscribe', 'ana', 'email', null, claims.expiresAt]],
    ['an unknown channel', [1, 'unsubscribe', 'ana', 'fax', null, claims.expiresAt]],
    ['an empty user id', [1, 'unsubscribe', '', 'email', null, claims.expiresAt]],
    ['an expiry that is no number', [1, 'unsubscribe', 'ana', 'email', null, '2099-01-01']],
    ['an object, not the array', { purpose: 'unsubscribe', userId: 'ana' }],
  ])('refuses a correctly signed payload of a shape we never make: %s', (_case, parts) => {
    expect(verifyRecipientToken([SECRET], forged(parts), 'unsubscribe', now)).toEqual({ ok: false, reason: 'invalid' });
  });

  it('a previous secret still verifies its links while a new one signs; no secret verifies nothing', () => {
    expect(verifyRecipientToken(['new-secret-0123456789abcdef', SECRET], token, 'unsubscribe', now)).toMatchObject({ ok: true });
    expect(verifyRecipientToken([], token, 'unsubscribe', now)).toEqual({ ok: false, reason: 'invalid' });
  });
});
