import { isHeldOut } from './holdout';

describe('isHeldOut', () => {
  const users = Array.from({ length: 20_000 }, (_, i) => `user-${i}`);

  it.each([0, 10, 50])('holds out about %i%% of users', (percent) => {
    const share = users.filter((u) => isHeldOut(u, 'cart', percent)).length / users.length;
    // 20,000 draws: the share is within ±1 point of the target with overwhelming probability.
    expect(Math.abs(share * 100 - percent)).toBeLessThan(1);
  });

  it('is stable for a user and campaign, and independent across campaigns', () => {
    expect(users.slice(0, 100).map((u) => isHeldOut(u, 'cart', 10))).toEqual(users.slice(0, 100).map((u) => isHeldOut(u, 'cart', 10)));
    const inBoth = users.filter((u) => isHeldOut(u, 'cart', 10) && isHeldOut(u, 'welcome', 10)).length / users.length;
    expect(inBoth).toBeGreaterThan(0.005);
    expect(inBoth).toBeLessThan(0.015);
  });

  it('holds out nobody without a holdout and everybody at 100', () => {
    expect(users.some((u) => isHeldOut(u, 'cart', undefined))).toBe(false);
    expect(users.every((u) => isHeldOut(u, 'cart', 100))).toBe(true);
  });
});
