import { parseRateLimit, type RateLimit } from '@nudge/channel-rules';
import type { Channel } from '@nudge/contracts';
import type { Settings } from '@nudge/settings';

/**
 * How fast a broadcast may hand messages to dispatch: no faster than the rate limit of the
 * provider of each channel it sends on (settings `providers.<channel>.rateLimit`). A channel
 * with no limit (the sandbox, or a provider without `rateLimit`) is bounded by the batch size
 * only. Dispatch enforces its own token buckets as well; pacing here keeps a million queued
 * messages out of its queue and spreads the sends of a broadcast across its run.
 */
export type SendPace = ReadonlyMap<Channel, RateLimit>;

/** The limits in force for a broadcast on `channels`; throws naming a rate limit it cannot read. */
export function sendPaceOf(channels: readonly Channel[], settings: Settings): SendPace {
  const limits = new Map<Channel, RateLimit>();
  for (const channel of channels) {
    const text = settings.providers[channel]?.rateLimit;
    if (text === undefined) continue;
    try {
      limits.set(channel, parseRateLimit(text));
    } catch (error) {
      throw new Error(`providers.${channel}.rateLimit: ${(error as Error).message}`);
    }
  }
  return limits;
}

/**
 * The most profiles one batch may read: `max`, or one second's worth of sends at the
 * slowest limited channel (at least one), so no batch publishes a burst its provider
 * would take more than a second to absorb.
 */
export function batchSizeFor(pace: SendPace, max: number): number {
  let size = max;
  for (const limit of pace.values()) size = Math.min(size, Math.max(1, Math.floor((limit.messages * 1_000) / limit.perMs)));
  return size;
}

/**
 * How long after a batch the next one may start: the time its sends take at their
 * channels' rates. Kept on the broadcast's row, so the pace holds across instances.
 */
export function pauseAfter(pace: SendPace, sentByChannel: ReadonlyMap<Channel, number>): number {
  let pauseMs = 0;
  for (const [channel, sent] of sentByChannel) {
    const limit = pace.get(channel);
    if (limit) pauseMs = Math.max(pauseMs, Math.ceil((sent * limit.perMs) / limit.messages));
  }
  return pauseMs;
}
