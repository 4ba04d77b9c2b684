import { Body, Controller, Get, Headers, Param, Post, Req, Res } from '@nestjs/common';
import { consentProofOf, emptyProfile, type Profile } from '@nudge/contracts';
import { Public } from '@nudge/service-runtime';
import type { Request, Response } from 'express';
import { pageLanguageOf } from './page-language';
import { PreferenceCentre, preferencePageTextVersion } from './preference-centre.service';
import { preferenceFormOf } from './preference-form';
import { badFormPage, preferenceFormPage, preferencesSavedPage } from './preference-pages';
import { linkRefusalPage } from './recipient-page';
import { requestOriginOf, sendRecipientPage } from './recipient-page-response';
import { PREFERENCES_PATH } from './recipient-links';

/**
 * `/p/{token}`: a message's preference centre (`{{ preferences_url }}`). No API key, no cookie,
 * no login: the signed token in the path is the credential, so another site cannot forge a
 * POST without knowing it (there is no ambient authority to ride on). GET shows the form and
 * changes nothing; POST saves what the form sends (a POST without its hidden `form` field, or
 * one a browser marks `Sec-Fetch-Site: cross-site`, changes nothing). Pages speak the
 * profile's language, else the browser's, else English.
 */
@Controller(PREFERENCES_PATH)
@Public()
export class PreferenceCentreController {
  constructor(private readonly centre: PreferenceCentre) {}

  @Get(':token')
  async show(
    @Param('token') token: string,
    @Headers('accept-language') acceptLanguage: string | undefined,
    @Res() response: Response,
  ): Promise<void> {
    const view = await this.centre.view(token);
    if (!view.ok) return sendRecipientPage(response, linkRefusalPage(view.reason, pageLanguageOf(undefined, acceptLanguage)));
    const profile: Profile = view.profile ?? emptyProfile(view.claims.userId, new Date(0).toISOString());
    sendRecipientPage(response, preferenceFormPage(profile, view.topics, pageLanguageOf(profile.locale, acceptLanguage)));
  }

  @Post(':token')
  async save(
    @Param('token') token: string,
    @Body() body: unknown,
    @Headers('accept-language') acceptLanguage: string | undefined,
    @Headers('sec-fetch-site') fetchSite: string | undefined,
    @Req() request: Request,
    @Res() response: Response,
  ): Promise<void> {
    const view = await this.centre.view(token);
    if (!view.ok) return sendRecipientPage(response, linkRefusalPage(view.reason, pageLanguageOf(undefined, acceptLanguage)));
    const language = pageLanguageOf(view.profile?.locale, acceptLanguage);
    if (fetchSite === 'cross-site') return sendRecipientPage(response, badFormPage('Sec-Fetch-Site', token, language));
    const form = preferenceFormOf(body, view.topics);
    if (!form.ok) return sendRecipientPage(response, badFormPage(form.field, token, language));
    const proof = { ...consentProofOf({}, requestOriginOf(request)), textVersion: preferencePageTextVersion(language) };
    const outcome = await this.centre.save(token, form.choice, proof);
    sendRecipientPage(
      response,
      outcome.ok ? preferencesSavedPage(token, outcome.unsubscribedAll, language) : linkRefusalPage(outcome.reason, language),
    );
  }
}
