import { randomUUID } from 'node:crypto';
import { countSmsSegments } from '@nudge/channel-rules';
import { type ChannelProvider } from '@nudge/channels';
import type { SendRequest } from '@nudge/contracts';
import { DOUBLE_OPT_IN_CAMPAIGN } from '@nudge/settings';
import { renderTemplate, TemplateCache, TemplateError } from '@nudge/templates';
import { MessageLinks, newLinkCode } from '../links/message-links';
import type { NewMessage } from '../messages/message';
import type { ConfirmLinks } from '../double-opt-in/confirm-links';
import type { RecipientLinks } from '../recipient-links/recipient-links';
import { recipientAddress } from './recipient-address';

export interface ComposedMessage {
  message: NewMessage;
  /** Variables the body printed that the scope lacks (rendered empty). */
  missingVariables: string[];
}

export interface ComposerOptions {
  /** Base of tracked links (PUBLIC_URL). */
  publicUrl: string;
  newLinkCode?: () => string;
  templates?: TemplateCache;
  /** Makes `{{ unsubscribe_url }}` and `{{ preferences_url }}`; absent or off (no NUDGE_LINK_SECRET): the variables are missing. */
  recipientLinks?: RecipientLinks;
  /** Makes `{{ confirm_url }}` in double opt-in confirmations; absent or off: the variable is missing. */
  confirmLinks?: ConfirmLinks;
}

/**
 * Turns a send request into the message to store: the recipient's address checked (phone
 * numbers in E.164), the body rendered with the request's scope (each template source
 * compiled once; `| track` links made for this message; `{{ unsubscribe_url }}` and
 * `{{ preferences_url }}` the message's signed recipient links, on every channel and category), its length checked against the
 * provider's, SMS segments counted. What can never be sent (a bad number, a template
 * error, a body too long) makes a `failed` message carrying the reason, never a retry.
 */
export class MessageComposer {
  private readonly templates: TemplateCache;
  private readonly newLinkCode: () => string;

  constructor(private readonly options: ComposerOptions) {
    this.templates = options.templates ?? new TemplateCache();
    this.newLinkCode = options.newLinkCode ?? newLinkCode;
  }

  async compose(request: SendRequest, provider: Pick<ChannelProvider, 'name' | 'capabilities'>): Promise<ComposedMessage> {
    const recipient = recipientAddress(request, provider.name);
    const base = { id: randomUUID(), request, provider: provider.name, recipient: recipient.ok ? recipient.address : request.to };
    const failed = (failureReason: string, body: string | null = null): NewMessage => ({
      ...base,
      body,
      segments: null,
      links: [],
      status: 'failed',
      failureReason,
    });
    if (!recipient.ok) return { message: failed(recipient.reason), missingVariables: [] };
    const links = new MessageLinks(this.options.publicUrl, { medium: request.channel, campaign: request.campaignId }, this.newLinkCode);
    let rendered: { text: string; missingVariables: string[] };
    try {
      const scope = { ...this.scopeOf(request, base.id), ...this.confirmUrlOf(request, base.id) };
      rendered = await renderTemplate(this.templates.get(request.message.body), scope, { track: links.track });
    } catch (error) {
      if (!(error instanceof TemplateError)) throw error;
      return { message: failed(`template error: ${error.message}`), missingVariables: [] };
    }
    const { text, missingVariables } = rendered;
    const maxLength = provider.capabilities.maxLength;
    if (maxLength !== undefined && text.length > maxLength) {
      return {
        message: failed(`the body has ${text.length} characters; ${provider.name} takes at most ${maxLength}`, text),
        missingVariables,
      };
    }
    const segments = request.channel === 'sms' ? countSmsSegments(text).segments : null;
    return {
      message: { ...base, body: text, segments, links: links.links, status: 'queued', failureReason: null },
      missingVariables,
    };
  }

  /** `{{ confirm_url }}`: only a double opt-in confirmation (campaign `double-opt-in`) carries the link that confirms it. */
  private confirmUrlOf(request: SendRequest, messageId: string): { confirm_url?: string } {
    if (request.campaignId !== DOUBLE_OPT_IN_CAMPAIGN) return {};
    const confirm = this.options.confirmLinks?.link({
      id: messageId,
      userId: request.userId,
      channel: request.channel,
      decidedAt: request.decidedAt,
    });
    return confirm === undefined ? {} : { confirm_url: confirm.url };
  }

  /** The request's scope and the message's recipient links. */
  private scopeOf(request: SendRequest, messageId: string): SendRequest['scope'] & { unsubscribe_url?: string; preferences_url?: string } {
    const linked = { id: messageId, userId: request.userId, channel: request.channel, decidedAt: request.decidedAt };
    const unsubscribe = this.options.recipientLinks?.unsubscribeLink(linked);
    const preferences = this.options.recipientLinks?.preferencesLink(linked);
    return {
      ...request.scope,
      ...(unsubscribe === undefined ? {} : { unsubscribe_url: unsubscribe.url }),
      ...(preferences === undefined ? {} : { preferences_url: preferences.url }),
    };
  }
}
