import { groupResult, uplift } from './uplift';

describe('uplift', () => {
  it('is the difference of conversion rates with a 95% interval', () => {
    const result = uplift(groupResult(1000, 120), groupResult(1000, 80));
    expect(result?.absolute).toBe(0.04);
    // se = sqrt(.12*.88/1000 + .08*.92/1000) = 0.01333 → ±0.0261
    expect(result?.ci95[0]).toBeCloseTo(0.0139, 3);
    expect(result?.ci95[1]).toBeCloseTo(0.0661, 3);
  });

  it('is unknown without sends in both groups', () => {
    expect(uplift(groupResult(10, 1), groupResult(0, 0))).toBeNull();
    expect(groupResult(0, 0).rate).toBeNull();
  });
});
