import { Inject, Injectable } from '@nestjs/common';
import { TokenBucket } from '@nudge/channel-rules';
import { MAX_ID_LENGTH } from '@nudge/contracts';
import { isUserToken } from '@nudge/service-runtime';
import type { WidgetSettings } from '@nudge/settings';
import { durationToMillis, type Clock } from '@nudge/timing';
import { InjectPinoLogger, PinoLogger } from 'nestjs-pino';
import { randomBytes, randomUUID } from 'node:crypto';
import { CLOCK } from '../clock';
import { DISPATCH_CONFIG, type DispatchConfig } from '../config';
import { ActiveProviders } from '../providers/active-providers';
import { mintWidgetCode, WIDGET_CODE_ID_LENGTH } from './widget-code';
import { widgetButtons } from './widget-links';
import {
  INVALID_VISITOR_PAGE,
  UNKNOWN_WIDGET_PAGE,
  WIDGET_BUSY_PAGE,
  WIDGET_UNAVAILABLE_PAGE,
  widgetEmbedScript,
  widgetPage,
  type WidgetPage,
} from './widget-page';
import { WidgetTokensStore } from './widget-tokens.store';

/** The path of widget pages under PUBLIC_URL: `/w/{widgetId}`. */
export const WIDGET_PATH = 'w';

/** Who opened the page, as its query says: a user the embedding site vouches for (`?user=&token=`), or nobody. */
export interface WidgetVisitor {
  user?: unknown;
  token?: unknown;
}

/** A visitor's inbox token: hex HMAC-SHA256, 64 characters. */
const USER_TOKEN = /^[0-9a-f]{64}$/i;

/**
 * The widget page of `/w/{widgetId}`: the widget looked up in the settings in force, the
 * visitor checked, a new code minted and its row stored (whose it is, until when), and the
 * page rendered with the code in every deep link. Each opening gets its own code, so a page
 * cached or forwarded binds at most the chats it was used from, and an anonymous visitor is a
 * new user until a chat binds.
 */
@Injectable()
export class WidgetPages {
  /** The codes this process may still mint (DISPATCH_WIDGET_CODES_PER_MINUTE): every view stores a row. */
  private readonly mints: TokenBucket;

  constructor(
    private readonly providers: ActiveProviders,
    private readonly tokens: WidgetTokensStore,
    @Inject(DISPATCH_CONFIG) private readonly config: DispatchConfig,
    @Inject(CLOCK) private readonly clock: Clock,
    @InjectPinoLogger('widgets') private readonly logger: PinoLogger,
  ) {
    this.mints = new TokenBucket({ messages: config.DISPATCH_WIDGET_CODES_PER_MINUTE, perMs: 60_000 }, () => clock.now().getTime());
  }

  /** The widget of that id in the settings in force, if there is one. */
  widget(widgetId: string): WidgetSettings | undefined {
    const widgets = this.providers.current().widgets;
    return Object.hasOwn(widgets, widgetId) ? widgets[widgetId] : undefined;
  }

  async open(widgetId: string, visitor: WidgetVisitor): Promise<WidgetPage> {
    const widget = this.widget(widgetId);
    if (widget === undefined) return UNKNOWN_WIDGET_PAGE;
    const user = this.userOf(visitor);
    if (user === null) return INVALID_VISITOR_PAGE;
    const [secret] = this.config.NUDGE_LINK_SECRET ?? [];
    if (secret === undefined) {
      this.logger.warn({ widgetId }, 'widget page asked for, but NUDGE_LINK_SECRET is not set: no code can be signed');
      return WIDGET_UNAVAILABLE_PAGE;
    }
    if (this.mints.takeUpTo(1) === 0) {
      this.logger.warn({ widgetId }, 'widget page refused: DISPATCH_WIDGET_CODES_PER_MINUTE reached');
      return WIDGET_BUSY_PAGE;
    }
    const { id, code } = mintWidgetCode(secret, randomBytes(WIDGET_CODE_ID_LENGTH));
    const now = this.clock.now();
    const row = {
      id,
      widgetId,
      userId: user ?? `anon-${randomUUID()}`,
      anonymous: user === undefined,
      createdAt: now,
      expiresAt: new Date(now.getTime() + durationToMillis(widget.tokenTtl)),
    };
    try {
      await this.tokens.insert(row);
    } catch (error) {
      this.logger.error({ err: error, widgetId }, 'widget code not stored');
      return WIDGET_UNAVAILABLE_PAGE;
    }
    return widgetPage(widget, widgetButtons(widget, code), code);
  }

  /** `embed.js` of the widget, or undefined for an unknown widget. */
  embedScript(widgetId: string): string | undefined {
    const widget = this.widget(widgetId);
    if (widget === undefined) return undefined;
    return widgetEmbedScript(`${this.config.PUBLIC_URL.replace(/\/+$/, '')}/${WIDGET_PATH}/${widgetId}`, widget.title);
  }

  /**
   * The user the visitor is: undefined for an anonymous visitor (no `user`, no `token`), the
   * user id when `token` is that user's inbox token (NUDGE_INBOX_SECRET), or null when the pair
   * does not match, is half given, or cannot be checked (no secret configured).
   */
  private userOf(visitor: WidgetVisitor): string | undefined | null {
    const { user, token } = visitor;
    if (user === undefined && token === undefined) return undefined;
    if (typeof user !== 'string' || user === '' || user.length > MAX_ID_LENGTH) return null;
    if (typeof token !== 'string' || !USER_TOKEN.test(token)) return null;
    const secret = this.config.NUDGE_INBOX_SECRET;
    return secret !== undefined && isUserToken(secret, user, token.toLowerCase()) ? user : null;
  }
}
