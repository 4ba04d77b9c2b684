import { Body, Controller, Get, Headers, Param, Post, Req, Res } from '@nestjs/common';
import { consentProofOf } from '@nudge/contracts';
import { Public } from '@nudge/service-runtime';
import type { Request, Response } from 'express';
import { linkPageLanguage, type PageLanguage } from './page-language';
import type { TokenVerdict } from './recipient-link-token';
import { linkRefusalPage } from './recipient-page';
import { requestOriginOf, sendRecipientPage } from './recipient-page-response';
import { UNSUBSCRIBE_PATH } from './recipient-links';
import { RecipientUnsubscribe } from './recipient-unsubscribe.service';
import { confirmPage, unsubscribedPage } from './unsubscribe-pages';

/**
 * `/u/{token}`: a message's unsubscribe link (`{{ unsubscribe_url }}`, List-Unsubscribe). No
 * API key, no cookie, no login: the signed token is the credential. GET shows a page whose
 * button POSTs; POST unsubscribes — a mail client's one-click POST (RFC 8058, body
 * `List-Unsubscribe=One-Click`) and that button alike, with the request's IP and user agent as
 * proof. Pages speak the profile's language (else the browser's, else English).
 */
@Controller(UNSUBSCRIBE_PATH)
@Public()
export class UnsubscribeController {
  constructor(private readonly unsubscribe: RecipientUnsubscribe) {}

  @Get(':token')
  async show(
    @Param('token') token: string,
    @Headers('accept-language') acceptLanguage: string | undefined,
    @Res() response: Response,
  ): Promise<void> {
    const verdict = this.unsubscribe.check(token);
    const language = await this.languageOf(verdict, acceptLanguage);
    sendRecipientPage(response, verdict.ok ? confirmPage(verdict.claims.channel, language) : linkRefusalPage(verdict.reason, language));
  }

  @Post(':token')
  async apply(
    @Param('token') token: string,
    @Body() body: unknown,
    @Headers('accept-language') acceptLanguage: string | undefined,
    @Req() request: Request,
    @Res() response: Response,
  ): Promise<void> {
    const source = isOneClick(body) ? 'one_click' : 'unsubscribe_link';
    const outcome = await this.unsubscribe.unsubscribe(token, source, consentProofOf({}, requestOriginOf(request)));
    const language = await this.languageOf(this.unsubscribe.check(token), acceptLanguage);
    sendRecipientPage(response, outcome.ok ? unsubscribedPage(outcome.channel, language) : linkRefusalPage(outcome.reason, language));
  }

  private languageOf(verdict: TokenVerdict, acceptLanguage: string | undefined): Promise<PageLanguage> {
    return linkPageLanguage(verdict, acceptLanguage, (userId) => this.unsubscribe.profileOf(userId));
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
