import type { Channel } from '@nudge/contracts';
import type { DispatchConfig } from '../config';
import { signRecipientToken, verifyRecipientToken, type LinkPurpose, type TokenVerdict } from './recipient-link-token';

/** The path of the unsubscribe page under PUBLIC_URL: `/u/{token}`. */
export const UNSUBSCRIBE_PATH = 'u';
/** The path of the preference centre under PUBLIC_URL: `/p/{token}`. */
export const PREFERENCES_PATH = 'p';

/** What a link is made for: one message of one user on one channel, decided at `decidedAt`. */
export interface LinkedMessage {
  id: string;
  userId: string;
  channel: Channel;
  /** When rules decided the send: links expire NUDGE_LINK_TTL_DAYS after it. */
  decidedAt: string;
}

/** A signed link and its token (the mailto subject of List-Unsubscribe carries the token alone). */
export interface SignedLink {
  url: string;
  token: string;
}

export interface RecipientLinksOptions {
  /** NUDGE_LINK_SECRET: the first signs, every one verifies; none: links are off. */
  secrets: readonly string[];
  publicUrl: string;
  ttlDays: number;
}

/**
 * The signed, expiring links of recipient pages (`{{ unsubscribe_url }}`, List-Unsubscribe,
 * `{{ preferences_url }}`).
 * A message's link derives only from the message (id, user, channel, decision time), so
 * intake rendering its body and the sender writing its headers make the same URL, and a
 * retry makes it again without storing it. With no secret configured there are no links.
 */
export class RecipientLinks {
  private readonly base: string;

  constructor(private readonly options: RecipientLinksOptions) {
    this.base = options.publicUrl.replace(/\/+$/, '');
  }

  get enabled(): boolean {
    return this.options.secrets.length > 0;
  }

  /** The message's one-click unsubscribe link, or undefined when links are off. */
  unsubscribeLink(message: LinkedMessage): SignedLink | undefined {
    return this.linkOf('unsubscribe', UNSUBSCRIBE_PATH, message);
  }

  /** The message's preference centre link (`{{ preferences_url }}`), or undefined when links are off. */
  preferencesLink(message: LinkedMessage): SignedLink | undefined {
    return this.linkOf('preferences', PREFERENCES_PATH, message);
  }

  /** Whether `token` is a live unsubscribe token of ours (always invalid when links are off). */
  verifyUnsubscribe(token: string, now: Date): TokenVerdict {
    return verifyRecipientToken(this.options.secrets, token, 'unsubscribe', now);
  }

  /** Whether `token` is a live preference centre token of ours (always invalid when links are off). */
  verifyPreferences(token: string, now: Date): TokenVerdict {
    return verifyRecipientToken(this.options.secrets, token, 'preferences', now);
  }

  private linkOf(purpose: LinkPurpose, path: string, message: LinkedMessage): SignedLink | undefined {
    const [secret] = this.options.secrets;
    if (secret === undefined) return undefined;
    const decidedAt = Math.floor(Date.parse(message.decidedAt) / 1_000);
    const token = signRecipientToken(secret, {
      purpose,
      userId: message.userId,
      channel: message.channel,
      messageId: message.id,
      expiresAt: decidedAt + this.options.ttlDays * 86_400,
    });
    return { url: `${this.base}/${path}/${token}`, token };
  }
}

/** The links dispatch's config describes. */
export function recipientLinksFrom(
  config: Pick<DispatchConfig, 'NUDGE_LINK_SECRET' | 'NUDGE_LINK_TTL_DAYS' | 'PUBLIC_URL'>,
): RecipientLinks {
  return new RecipientLinks({ secrets: config.NUDGE_LINK_SECRET ?? [], publicUrl: config.PUBLIC_URL, ttlDays: config.NUDGE_LINK_TTL_DAYS });
}
