import { randomUUID } from 'node:crypto';
import { countSmsSegments } from '@nudge/channels';
import type { SendRequest } from '@nudge/contracts';
import { renderTemplate, TemplateCache, TemplateError } from '@nudge/templates';
import type { NewMessage } from '../messages/message';

export interface ComposedMessage {
  message: NewMessage;
  /** Variables the body printed that the scope lacks (rendered empty). */
  missingVariables: string[];
}

/**
 * Turns a send request into the message to store: the body rendered with the request's
 * scope (each template source compiled once), SMS segments counted. A template that does
 * not parse or render makes a `failed` message carrying the reason, never a retry.
 */
export class MessageComposer {
  constructor(private readonly templates = new TemplateCache()) {}

  async compose(request: SendRequest, provider: string): Promise<ComposedMessage> {
    const base = { id: randomUUID(), request, provider };
    try {
      const compiled = this.templates.get(request.message.body);
      const { text, missingVariables } = await renderTemplate(compiled, request.scope);
      const segments = request.channel === 'sms' ? countSmsSegments(text).segments : null;
      return { message: { ...base, body: text, segments, status: 'queued', failureReason: null }, missingVariables };
    } catch (error) {
      if (!(error instanceof TemplateError)) throw error;
      const message: NewMessage = {
        ...base,
        body: null,
        segments: null,
        status: 'failed',
        failureReason: `template error: ${error.message}`,
      };
      return { message, missingVariables: [] };
    }
  }
}
