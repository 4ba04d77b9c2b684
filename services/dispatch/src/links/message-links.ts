import { randomBytes } from 'node:crypto';
import type { LinkTracker } from '@nudge/templates';
import { withUtmParameters, type UtmParameters } from './utm-parameters';

/** A short link of one message: `PUBLIC_URL/c/{code}` redirects to `target`. */
export interface TrackedLink {
  code: string;
  target: string;
}

/** Codes are 10 URL-safe characters (60 random bits). */
export const LINK_CODE = /^[A-Za-z0-9_-]{10}$/;

/** A fresh random link code. */
export function newLinkCode(): string {
  return randomBytes(8).toString('base64url').slice(0, 10);
}

/**
 * The `| track` links of one message as it is rendered: each distinct target gets a code
 * and the link `${publicUrl}/c/${code}`; the stored target carries the UTM parameters.
 * A target that is not an absolute URL cannot be redirected to, which fails the render.
 */
export class MessageLinks {
  readonly links: TrackedLink[] = [];
  private readonly base: string;

  constructor(
    publicUrl: string,
    private readonly utm: UtmParameters,
    private readonly newCode: () => string = newLinkCode,
  ) {
    this.base = publicUrl.replace(/\/+$/, '');
  }

  readonly track: LinkTracker = (url) => {
    if (!URL.canParse(url)) throw new Error(`| track needs an absolute URL such as https://shop.example/cart, got "${url}"`);
    const code = this.newCode();
    this.links.push({ code, target: withUtmParameters(url, this.utm) });
    return `${this.base}/c/${code}`;
  };
}
