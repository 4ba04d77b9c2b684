import type { Template } from 'liquidjs';

// In a module of its own: compile-template makes it and render-template reads it, and
// compile-template also calls render-template (validation renders once): no import cycle.

/** A template parsed once, ready to render many times. */
export interface CompiledTemplate {
  readonly source: string;
  /** The liquidjs parse tree; only renderTemplate looks inside. */
  readonly parsed: readonly Template[];
}
