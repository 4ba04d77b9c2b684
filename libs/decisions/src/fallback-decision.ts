import type { Channel, MessageStatus } from '@nudge/contracts';
import { decideSend, type SendInput, type SendVerdict } from './send-decision';

/**
 * The fallback of a message sent with a chain (`channel: [whatsapp, sms]`, `fallbackAfter`):
 * a send of its own, kept with the timers, decided when dispatch reports the message unread.
 */
export interface FallbackStep {
  /** The send id of the message this fallback replaces. */
  of: string;
  /** That message's channel. */
  from: Channel;
  /** The channels left, in order: the fallback goes on the first one the user can receive. */
  channels: Channel[];
  /** The campaign's `fallbackAfter` the message was sent with. */
  after: string;
  /** What dispatch saw when the fallback time came; absent while the step waits for it. */
  observed?: MessageStatus;
}

/** Why the fallback is decided at all: "fallback after whatsapp unread for PT3S", "fallback after whatsapp failed". */
export function fallbackReason(step: FallbackStep): string {
  if (step.observed === 'failed' || step.observed === 'expired') return `fallback after ${step.from} ${step.observed}`;
  return `fallback after ${step.from} unread for ${step.after}`;
}

/**
 * Decides a fallback send exactly like any send (`decideSend`: campaign active, topic, consent
 * and opt-outs, window and country rules in the recipient's zone, caps, holdout), over the
 * rest of the chain instead of the campaign's channels. The message it replaces does not count
 * against its caps: it is the same message on another channel, and a campaign capped at one
 * send a day would otherwise never fall back. The reason says it is a fallback, and why.
 */
export function decideFallbackSend(input: SendInput, step: FallbackStep): SendVerdict {
  const verdict = decideSend({
    ...input,
    channels: step.channels,
    ledger: input.ledger.filter((entry) => entry.sendId !== step.of),
  });
  return { ...verdict, reason: `${fallbackReason(step)}: ${verdict.reason}` };
}
