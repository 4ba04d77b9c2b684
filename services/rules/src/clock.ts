/** Injection token of the Clock (`@nudge/timing`) rules decides with. */
export const CLOCK = Symbol('CLOCK');
