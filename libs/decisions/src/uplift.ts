export interface GroupResult {
  sends: number;
  conversions: number;
  /** conversions / sends, or null with no sends. */
  rate: number | null;
}

export interface Uplift {
  /** Treated rate minus held-out rate, in absolute terms (0.05 = 5 points). */
  absolute: number;
  /** 95 % confidence interval of `absolute` (normal approximation of two proportions). */
  ci95: [number, number];
}

export function groupResult(sends: number, conversions: number): GroupResult {
  return { sends, conversions, rate: sends === 0 ? null : conversions / sends };
}

/** How much more the treated group converted than the control group, with its uncertainty; null without both groups. */
export function uplift(treated: GroupResult, heldOut: GroupResult): Uplift | null {
  if (treated.rate === null || heldOut.rate === null) return null;
  const absolute = treated.rate - heldOut.rate;
  const standardError = Math.sqrt(
    (treated.rate * (1 - treated.rate)) / treated.sends + (heldOut.rate * (1 - heldOut.rate)) / heldOut.sends,
  );
  const margin = 1.96 * standardError;
  return { absolute: round(absolute), ci95: [round(absolute - margin), round(absolute + margin)] };
}

function round(value: number): number {
  return Math.round(value * 10_000) / 10_000;
}
