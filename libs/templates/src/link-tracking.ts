import type { Context } from 'liquidjs';

/** Turns a target url into the link a recipient gets (dispatch makes it a short tracked link). */
export type LinkTracker = (url: string) => string | Promise<string>;

/**
 * Where a render keeps its tracker: in liquidjs' per-render globals, under a symbol so no
 * template can read it as a variable. Renders run concurrently, so it cannot live in the module.
 */
export const LINK_TRACKER = Symbol('nudge.linkTracker');

export interface TrackingGlobals {
  [LINK_TRACKER]?: LinkTracker;
}

/**
 * `{{ 'https://shop.example/cart' | track }}`: the tracked link, or the url itself when nobody
 * tracks this render. A link the tracker has at once stays a string, so a render with a
 * synchronous tracker can run synchronously; liquidjs' async render awaits a promise.
 */
export function trackFilter(this: { context: Context }, value: unknown): string | Promise<string> {
  if (value === null || value === undefined || value === '') return '';
  const url = String(value);
  const tracker = (this.context.globals as TrackingGlobals)[LINK_TRACKER];
  return tracker ? tracker(url) : url;
}

type TrackedOutcome = { link: string | Promise<string> } | { error: unknown };

/**
 * One tracker call per distinct url within one render call: finding missing variables may
 * render a template more than once, and a recipient should get one short link per target.
 * Later calls for a url answer what the first got: the same link, promise or error.
 */
export function oncePerUrl(tracker: LinkTracker): LinkTracker {
  const outcomes = new Map<string, TrackedOutcome>();
  return (url) => {
    let outcome = outcomes.get(url);
    if (!outcome) {
      try {
        outcome = { link: tracker(url) };
      } catch (error) {
        outcome = { error };
      }
      outcomes.set(url, outcome);
    }
    if ('error' in outcome) throw outcome.error;
    return outcome.link;
  };
}
