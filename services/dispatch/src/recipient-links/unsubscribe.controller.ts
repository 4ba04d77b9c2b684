import { Body, Controller, Get, Param, Post, Res } from '@nestjs/common';
import { Public } from '@nudge/service-runtime';
import type { Response } from 'express';
import { UNSUBSCRIBE_PATH } from './recipient-links';
import { RecipientUnsubscribe, type UnsubscribeOutcome } from './recipient-unsubscribe.service';
import {
  confirmPage,
  EXPIRED_LINK_PAGE,
  INVALID_LINK_PAGE,
  UNAVAILABLE_PAGE,
  unsubscribedPage,
  type UnsubscribePage,
} from './unsubscribe-pages';

/**
 * `/u/{token}`: a message's unsubscribe link (`{{ unsubscribe_url }}`, List-Unsubscribe). No
 * API key, no cookie, no login: the signed token is the credential. GET shows a page whose
 * button POSTs; POST unsubscribes — a mail client's one-click POST (RFC 8058, body
 * `List-Unsubscribe=One-Click`) and that button alike.
 */
@Controller(UNSUBSCRIBE_PATH)
@Public()
export class UnsubscribeController {
  constructor(private readonly unsubscribe: RecipientUnsubscribe) {}

  @Get(':token')
  show(@Param('token') token: string, @Res() response: Response): void {
    const verdict = this.unsubscribe.check(token);
    send(response, verdict.ok ? confirmPage(verdict.claims.channel) : refusal(verdict));
  }

  @Post(':token')
  async apply(@Param('token') token: string, @Body() body: unknown, @Res() response: Response): Promise<void> {
    const outcome = await this.unsubscribe.unsubscribe(token, isOneClick(body) ? 'one_click' : 'unsubscribe_link');
    send(response, outcome.ok ? unsubscribedPage(outcome.channel) : refusal(outcome));
  }
}

/** The RFC 8058 body, `List-Unsubscribe=One-Click` (form-encoded, as mail clients send it). */
function isOneClick(body: unknown): boolean {
  return (
    typeof body === 'object' &&
    body !== null &&
    !Buffer.isBuffer(body) &&
    (body as Record<string, unknown>)['List-Unsubscribe'] === 'One-Click'
  );
}

function refusal(outcome: Extract<UnsubscribeOutcome, { ok: false }>): UnsubscribePage {
  if (outcome.reason === 'expired') return EXPIRED_LINK_PAGE;
  if (outcome.reason === 'unavailable') return UNAVAILABLE_PAGE;
  return INVALID_LINK_PAGE;
}

/**
 * The page, never cached or framed, and never telling the next site the link (the token is
 * in the URL): no Referer, no index.
 */
function send(response: Response, page: UnsubscribePage): void {
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
