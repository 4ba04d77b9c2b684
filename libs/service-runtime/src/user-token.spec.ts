import { createHmac } from 'node:crypto';
import { isUserToken, sameSecret, userToken } from './user-token';

describe('userToken', () => {
  it('is the hex HMAC-SHA256 keyed with the secret over the user id', () => {
    expect(userToken('inbox-secret-0123456789', 'ana')).toBe(createHmac('sha256', 'inbox-secret-0123456789').update('ana').digest('hex'));
  });

  it('matches a published HMAC-SHA256 test vector (RFC 4231 case 2: key "Jefe")', () => {
    expect(userToken('Jefe', 'what do ya want for nothing?')).toBe('5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843');
  });

  it("opens only its own user's inbox", () => {
    const token = userToken('s3cret-s3cret-s3cret', 'ana');
    expect(isUserToken('s3cret-s3cret-s3cret', 'ana', token)).toBe(true);
    expect(isUserToken('s3cret-s3cret-s3cret', 'bea', token)).toBe(false);
    expect(isUserToken('another-secret-value', 'ana', token)).toBe(false);
    expect(isUserToken('s3cret-s3cret-s3cret', 'ana', token.toUpperCase())).toBe(false);
    expect(isUserToken('s3cret-s3cret-s3cret', 'ana', '')).toBe(false);
  });

  it('compares secrets of any length without throwing', () => {
    expect(sameSecret('abc', 'abc')).toBe(true);
    expect(sameSecret('abc', 'abcd')).toBe(false);
    expect(sameSecret('é', 'e')).toBe(false);
  });
});
