import { SendLease } from './send-lease';

describe('SendLease', () => {
  it('holds its messages until shortly before the lease runs out, never after', () => {
    const lease = new SendLease('t1', ['a', 'b'], 30_000, 1_000);
    expect(lease.holds('a', 1_000)).toBe(true);
    expect(lease.holds('a', 28_999)).toBe(true);
    expect(lease.holds('a', 29_000)).toBe(false);
  });

  it('a renewal extends the lease from when it was sent', () => {
    const lease = new SendLease('t1', ['a'], 1_000, 0);
    expect(lease.holds('a', 950)).toBe(false);
    lease.renewed(500, ['a'], new Set(['a']));
    expect(lease.holds('a', 1_350)).toBe(true);
    expect(lease.holds('a', 1_400)).toBe(false);
  });

  it('a message a renewal did not find is lost for good, the others stay held', () => {
    const lease = new SendLease('t1', ['a', 'b'], 30_000, 0);
    lease.renewed(10_000, ['a', 'b'], new Set(['a']));
    expect(lease.holds('b', 10_001)).toBe(false);
    expect(lease.holds('a', 10_001)).toBe(true);
    expect(lease.held()).toEqual(['a']);
    lease.renewed(20_000, ['a'], new Set(['a', 'b']));
    expect(lease.holds('b', 20_001)).toBe(false);
  });
});
