import type { DispatchConfig } from '../config';
import { signRecipientToken, verifyRecipientToken, type TokenVerdict } from '../recipient-links/recipient-link-token';
import type { LinkedMessage, SignedLink } from '../recipient-links/recipient-links';

/** The path of the double opt-in confirmation page under PUBLIC_URL: `/o/{token}`. */
export const CONFIRM_PATH = 'o';

/**
 * The signed, expiring link of a double opt-in confirmation (`{{ confirm_url }}`): the
 * recipient links' token with purpose `confirm`, so an unsubscribe or preference link cannot
 * confirm, nor a confirm link unsubscribe. Like theirs it derives from the message alone and
 * expires NUDGE_LINK_TTL_DAYS after the send was decided; no secret, no link.
 */
export class ConfirmLinks {
  private readonly base: string;

  constructor(private readonly options: { secrets: readonly string[]; publicUrl: string; ttlDays: number }) {
    this.base = options.publicUrl.replace(/\/+$/, '');
  }

  /** The confirmation link of the message, or undefined when links are off. */
  link(message: LinkedMessage): SignedLink | undefined {
    const [secret] = this.options.secrets;
    if (secret === undefined) return undefined;
    const token = signRecipientToken(secret, {
      purpose: 'confirm',
      userId: message.userId,
      channel: message.channel,
      messageId: message.id,
      expiresAt: Math.floor(Date.parse(message.decidedAt) / 1_000) + this.options.ttlDays * 86_400,
    });
    return { url: `${this.base}/${CONFIRM_PATH}/${token}`, token };
  }

  /** Whether `token` is a live confirmation token of ours (always invalid when links are off). */
  verify(token: string, now: Date): TokenVerdict {
    return verifyRecipientToken(this.options.secrets, token, 'confirm', now);
  }
}

/** The confirmation links dispatch's config describes. */
export function confirmLinksFrom(config: Pick<DispatchConfig, 'NUDGE_LINK_SECRET' | 'NUDGE_LINK_TTL_DAYS' | 'PUBLIC_URL'>): ConfirmLinks {
  return new ConfirmLinks({ secrets: config.NUDGE_LINK_SECRET ?? [], publicUrl: config.PUBLIC_URL, ttlDays: config.NUDGE_LINK_TTL_DAYS });
}
