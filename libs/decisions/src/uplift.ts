export interface GroupResult {
  sends: number;
  conversions: number;
  /** conversions / sends, or null with no sends. */
  rate: number | null;
}

export interface Uplift {
  /** Treated rate minus held-out rate, in absolute terms (0.05 = 5 points). */
  absolute: number;
  /** 95 % confidence interval of `absolute` (Newcombe's hybrid score interval, from each group's Wilson interval). */
  ci95: [number, number];
}

export function groupResult(sends: number, conversions: number): GroupResult {
  return { sends, conversions, rate: sends === 0 ? null : conversions / sends };
}

const Z95 = 1.959964;

/**
 * How much more the treated group converted than the control group, with its uncertainty;
 * null without both groups. The interval is Newcombe's hybrid score interval (1998, method 10),
 * built from each group's Wilson score interval: unlike the Wald interval (rate ± 1.96 standard
 * errors) it stays honest at 0 % and 100 % and with small groups, where Wald collapses to a
 * point (10/10 against 0/10 gave [1, 1]).
 */
export function uplift(treated: GroupResult, heldOut: GroupResult): Uplift | null {
  if (treated.rate === null || heldOut.rate === null) return null;
  const absolute = treated.rate - heldOut.rate;
  const [treatedLow, treatedHigh] = wilson(treated.rate, treated.sends);
  const [heldOutLow, heldOutHigh] = wilson(heldOut.rate, heldOut.sends);
  const low = absolute - Math.hypot(treated.rate - treatedLow, heldOutHigh - heldOut.rate);
  const high = absolute + Math.hypot(treatedHigh - treated.rate, heldOut.rate - heldOutLow);
  return { absolute: round(absolute), ci95: [round(low), round(high)] };
}

/** The 95 % Wilson score interval of a rate observed over `n` trials. */
function wilson(rate: number, n: number): [number, number] {
  const z2 = Z95 * Z95;
  const denominator = 1 + z2 / n;
  const centre = (rate + z2 / (2 * n)) / denominator;
  const half = (Z95 / denominator) * Math.sqrt((rate * (1 - rate)) / n + z2 / (4 * n * n));
  return [Math.max(0, centre - half), Math.min(1, centre + half)];
}

function round(value: number): number {
  return Math.round(value * 10_000) / 10_000;
}
