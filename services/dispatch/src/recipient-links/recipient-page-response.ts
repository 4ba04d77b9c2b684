import type { RequestOrigin } from '@nudge/contracts';
import type { Request, Response } from 'express';
import type { RecipientPage } from './recipient-page';

/**
 * Sends a recipient page, never cached or framed, and never telling the next site the link
 * (the token is in the URL): no Referer, no index. Forms may post only to this origin.
 */
export function sendRecipientPage(response: Response, page: RecipientPage): void {
  response.setHeader('cache-control', 'no-store');
  response.setHeader('referrer-policy', 'no-referrer');
  response.setHeader('x-robots-tag', 'noindex');
  response.setHeader(
    'content-security-policy',
    "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; frame-ancestors 'none'",
  );
  if (page.status === 503) response.setHeader('retry-after', '60');
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
