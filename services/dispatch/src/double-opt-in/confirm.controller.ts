import { Controller, Get, Headers, Param, Post, Req, Res } from '@nestjs/common';
import { consentProofOf } from '@nudge/contracts';
import { Public } from '@nudge/service-runtime';
import type { Request, Response } from 'express';
import { linkPageLanguage, type PageLanguage } from '../recipient-links/page-language';
import type { TokenVerdict } from '../recipient-links/recipient-link-token';
import { linkRefusalPage } from '../recipient-links/recipient-page';
import { requestOriginOf, sendRecipientPage } from '../recipient-links/recipient-page-response';
import { CONFIRM_PATH } from './confirm-links';
import { confirmedPage, confirmOptInPage } from './confirm-pages';
import { OptInConfirmation } from './opt-in-confirmation.service';

/**
 * `/o/{token}`: the link of a double opt-in confirmation (`{{ confirm_url }}`). No API key, no
 * cookie: the signed token (purpose `confirm`) is the credential. GET shows a button and
 * changes nothing (link scanners fetch GETs); POST confirms, with the request's IP and user
 * agent as proof. A tampered token answers 400, an expired one 410: nothing changes. Pages
 * speak the profile's language (else the browser's, else English), as the other recipient pages.
 */
@Controller(CONFIRM_PATH)
@Public()
export class ConfirmController {
  constructor(private readonly confirmations: OptInConfirmation) {}

  @Get(':token')
  async show(
    @Param('token') token: string,
    @Headers('accept-language') acceptLanguage: string | undefined,
    @Res() response: Response,
  ): Promise<void> {
    const verdict = this.confirmations.check(token);
    const language = await this.languageOf(verdict, acceptLanguage);
    sendRecipientPage(
      response,
      verdict.ok ? confirmOptInPage(verdict.claims.channel, language) : linkRefusalPage(verdict.reason, language),
    );
  }

  @Post(':token')
  async confirm(
    @Param('token') token: string,
    @Headers('accept-language') acceptLanguage: string | undefined,
    @Req() request: Request,
    @Res() response: Response,
  ): Promise<void> {
    const outcome = await this.confirmations.confirmLink(token, consentProofOf({}, requestOriginOf(request)));
    const language = await this.languageOf(this.confirmations.check(token), acceptLanguage);
    sendRecipientPage(
      response,
      outcome.ok ? confirmedPage(outcome.channel, outcome.confirmed, language) : linkRefusalPage(outcome.reason, language),
    );
  }

  private languageOf(verdict: TokenVerdict, acceptLanguage: string | undefined): Promise<PageLanguage> {
    return linkPageLanguage(verdict, acceptLanguage, (userId) => this.confirmations.profileOf(userId));
  }
}
