import { passedExpiry } from './message-expiry';

const decidedAt = '2026-11-23T10:00:00.000Z';

describe('passedExpiry', () => {
  it("names the expireAfter once it has passed since the send's decision", () => {
    expect(passedExpiry({ decidedAt, expireAfter: 'PT1H' }, new Date('2026-11-23T11:00:00.000Z'))).toBe('PT1H');
    expect(passedExpiry({ decidedAt, expireAfter: 'P1D' }, new Date('2026-11-25T00:00:00.000Z'))).toBe('P1D');
  });

  it('is undefined before, and for messages without one', () => {
    expect(passedExpiry({ decidedAt, expireAfter: 'PT1H' }, new Date('2026-11-23T10:59:59.999Z'))).toBeUndefined();
    expect(passedExpiry({ decidedAt, expireAfter: null }, new Date('2030-01-01T00:00:00.000Z'))).toBeUndefined();
  });

  it('ignores a value that is no duration rather than expiring the message', () => {
    expect(passedExpiry({ decidedAt, expireAfter: 'soon' }, new Date('2030-01-01T00:00:00.000Z'))).toBeUndefined();
  });
});
