import type { OutboundMessage } from '../../outbound-message';
import type { WhatsAppCloudConfig } from './whatsapp-cloud.settings';

/** WhatsApp's customer-service window: free-form messages only within 24 h of the user's last message. */
export const WHATSAPP_SESSION_WINDOW_HOURS = 24;

const WINDOW_MS = WHATSAPP_SESSION_WINDOW_HOURS * 60 * 60 * 1000;

/** The message part of a Cloud API `/messages` call: free-form text, or an approved template. */
export type WhatsAppContent =
  | { type: 'text'; text: { body: string } }
  | {
      type: 'template';
      template: { name: string; language: { code: string }; components: [{ type: 'body'; parameters: [{ type: 'text'; text: string }] }] };
    };

/** What may be sent: the content, or why nothing may. */
export type WhatsAppContentChoice = { outcome: 'content'; content: WhatsAppContent } | { outcome: 'refused'; reason: string };

/** Whether the user wrote to us less than 24 h before `now`. */
export function insideSessionWindow(lastInboundAt: Date | undefined, now: Date): boolean {
  return lastInboundAt !== undefined && now.getTime() - lastInboundAt.getTime() < WINDOW_MS;
}

/**
 * Inside the window the body goes as free-form text. Outside it WhatsApp only takes
 * approved templates: the one configured for the message's category, with the rendered
 * body as its single body parameter; with none configured the message cannot be sent.
 */
export function chooseWhatsAppContent(message: OutboundMessage, templates: WhatsAppCloudConfig['templates']): WhatsAppContentChoice {
  if (insideSessionWindow(message.lastInboundAt, message.now))
    return { outcome: 'content', content: { type: 'text', text: { body: message.body } } };
  const template = templates[message.category];
  if (!template) {
    return {
      outcome: 'refused',
      reason: `outside WhatsApp's 24 h customer-service window and no template configured for ${message.category}`,
    };
  }
  return {
    outcome: 'content',
    content: {
      type: 'template',
      template: {
        name: template.name,
        language: { code: template.language },
        components: [{ type: 'body', parameters: [{ type: 'text', text: message.body }] }],
      },
    },
  };
}
