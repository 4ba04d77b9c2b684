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

/** `{{ 'https://shop.example/cart' | track }}`: the tracked link, or the url itself when nobody tracks this render. */
export async function trackFilter(this: { context: Context }, value: unknown): Promise<string> {
  if (value === null || value === undefined || value === '') return '';
  const url = String(value);
  const tracker = (this.context.globals as TrackingGlobals)[LINK_TRACKER];
  return tracker ? tracker(url) : url;
}

/**
 * One tracker call per distinct url within one render call: finding missing variables may
 * render a template more than once, and a recipient should get one short link per target.
 */
export function oncePerUrl(tracker: LinkTracker): LinkTracker {
  const links = new Map<string, Promise<string>>();
  return (url) => {
    let link = links.get(url);
    if (!link) {
      link = Promise.resolve().then(() => tracker(url));
      links.set(url, link);
    }
    return link;
  };
}
