import { Controller, Get, Param, Query, Res } from '@nestjs/common';
import { Public } from '@nudge/service-runtime';
import { WIDGET_ID } from '@nudge/settings';
import type { Response } from 'express';
import { sendRecipientPage } from '../recipient-links/recipient-page-response';
import { UNKNOWN_WIDGET_PAGE, type WidgetPage } from './widget-page';
import { WIDGET_PATH, WidgetPages } from './widget-pages.service';

/**
 * `/w/{widgetId}`: a messenger subscribe widget's page, and `/w/{widgetId}/embed.js`, the
 * snippet that frames it in another site. Public: the page grants nothing by itself (its codes
 * bind a chat only when the person opens the messenger and starts the chat), and a known
 * visitor is vouched for by their inbox token.
 */
@Controller(WIDGET_PATH)
@Public()
export class WidgetPagesController {
  constructor(private readonly pages: WidgetPages) {}

  @Get(':widgetId')
  async show(
    @Param('widgetId') widgetId: string,
    @Query('user') user: unknown,
    @Query('token') token: unknown,
    @Res() response: Response,
  ): Promise<void> {
    const page = WIDGET_ID.test(widgetId) ? await this.pages.open(widgetId, { user, token }) : UNKNOWN_WIDGET_PAGE;
    const frameAncestors = WIDGET_ID.test(widgetId) ? this.pages.widget(widgetId)?.frameAncestors : undefined;
    send(response, page, frameAncestors?.join(' ') ?? (page.status === 404 ? "'none'" : '*'));
  }

  @Get(':widgetId/embed.js')
  embed(@Param('widgetId') widgetId: string, @Res() response: Response): void {
    const script = WIDGET_ID.test(widgetId) ? this.pages.embedScript(widgetId) : undefined;
    if (script === undefined) {
      send(response, UNKNOWN_WIDGET_PAGE, "'none'");
      return;
    }
    response.setHeader('cache-control', 'public, max-age=300');
    response.status(200).type('application/javascript').send(script);
  }
}

/**
 * A widget page, sent as every recipient page is (never cached, no Referer, no index), with no
 * form to post and framed only where the widget allows (`frameAncestors`).
 */
function send(response: Response, page: WidgetPage, frameAncestors: string): void {
  sendRecipientPage(response, page, { formAction: "'none'", frameAncestors });
}
