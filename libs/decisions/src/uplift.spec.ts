import { groupResult, uplift } from './uplift';

describe('uplift', () => {
  it("is the difference of conversion rates with Newcombe's 95% interval (his worked example: 56/70 against 48/80)", () => {
    const result = uplift(groupResult(70, 56), groupResult(80, 48));
    expect(result?.absolute).toBe(0.2);
    expect(result?.ci95[0]).toBeCloseTo(0.0524, 3);
    expect(result?.ci95[1]).toBeCloseTo(0.3339, 3);
  });

  it('keeps a real interval at 0 % and 100 % with small groups, where the Wald interval collapsed to [1, 1]', () => {
    const result = uplift(groupResult(10, 10), groupResult(10, 0));
    expect(result?.absolute).toBe(1);
    expect(result?.ci95[0]).toBeCloseTo(0.6075, 3);
    expect(result?.ci95[1]).toBe(1);
  });

  it('is centred on no difference when both groups convert alike', () => {
    const result = uplift(groupResult(1000, 100), groupResult(1000, 100));
    expect(result?.absolute).toBe(0);
    expect(result!.ci95[0]).toBeCloseTo(-result!.ci95[1], 4);
    expect(result!.ci95[0]).toBeLessThan(0);
  });

  it('is unknown without sends in both groups', () => {
    expect(uplift(groupResult(10, 1), groupResult(0, 0))).toBeNull();
    expect(groupResult(0, 0).rate).toBeNull();
  });
});
