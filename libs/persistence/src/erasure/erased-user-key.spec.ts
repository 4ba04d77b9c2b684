import { erasedUserKey } from './erased-user-key';

describe('erasedUserKey', () => {
  it('is the same for the same user and salt, so per-user counts stay together', () => {
    expect(erasedUserKey('salt-a', 'ana@example.com')).toBe(erasedUserKey('salt-a', 'ana@example.com'));
  });

  it('is "erased:" and 64 hex digits, which never contain the user id', () => {
    const key = erasedUserKey('salt-a', 'ana@example.com');
    expect(key).toMatch(/^erased:[0-9a-f]{64}$/);
    expect(key).not.toContain('ana');
  });

  it('differs between users and between installations (salts)', () => {
    expect(erasedUserKey('salt-a', 'ana')).not.toBe(erasedUserKey('salt-a', 'bea'));
    expect(erasedUserKey('salt-a', 'ana')).not.toBe(erasedUserKey('salt-b', 'ana'));
  });

  it('refuses an empty salt (a key anyone could recompute)', () => {
    expect(() => erasedUserKey('', 'ana')).toThrow('salt');
  });
});
