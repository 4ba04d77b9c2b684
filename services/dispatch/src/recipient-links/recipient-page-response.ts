import type { RequestOrigin } from '@nudge/contracts';
import type { Request, Response } from 'express';
import type { RecipientPage } from './recipient-page';

/** Where a page's forms may post and who may frame it (CSP `form-action`, `frame-ancestors`). */
export interface PageFraming {
  formAction: string;
  frameAncestors: string;
}

/** A link's page: its forms post to this origin only, and nobody frames it. */
const LINK_PAGE_FRAMING: PageFraming = { formAction: "'self'", frameAncestors: "'none'" };

/**
 * Sends a recipient page, never cached, and never telling the next site the link (the token,
 * or a visitor's, is in the URL): no Referer, no index. By default forms may post only to this
 * origin and nobody frames it (a widget page is framed where its settings allow). A page that
 * asks to be tried again (429, 503) says when.
 */
export function sendRecipientPage(response: Response, page: RecipientPage, framing: PageFraming = LINK_PAGE_FRAMING): void {
  response.setHeader('cache-control', 'no-store');
  response.setHeader('referrer-policy', 'no-referrer');
  response.setHeader('x-robots-tag', 'noindex');
  response.setHeader(
    'content-security-policy',
    `default-src 'none'; style-src 'unsafe-inline'; form-action ${framing.formAction}; frame-ancestors ${framing.frameAncestors}`,
  );
  if (page.status === 503 || page.status === 429) response.setHeader('retry-after', '60');
  response.status(page.status).type('html').send(page.html);
}

/** What the request tells of the person behind a consent change (their proof: IP, user agent). */
export function requestOriginOf(request: Request): RequestOrigin {
  return {
    forwardedFor: request.headers['x-forwarded-for'],
    userAgent: request.headers['user-agent'],
    remoteAddress: request.socket.remoteAddress,
  };
}
