/** Injection token of the Clock (`@nudge/timing`) dispatch stamps statuses with. */
export const CLOCK = Symbol('CLOCK');
