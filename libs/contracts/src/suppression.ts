import type { Channel } from './profile';

/** Where a recipient is reached: a channel and an address on it. */
export interface ChannelAddress {
  channel: Channel;
  address: string;
}

/**
 * An address's opt-out state on one channel (SPEC §9 "Opt-out by address"): set by a STOP
 * keyword or a channel-side withdrawal from that address, lifted by START. It holds for every
 * profile with that address, now and later, whoever the last message went to.
 */
export interface Suppression {
  channel: Channel;
  /** As dispatch normalises it: phone numbers in E.164, e-mail addresses lower-cased. */
  address: string;
  /** Whether marketing to the address is stopped now (false: lifted by a START). */
  suppressed: boolean;
  /** The keyword or provider event that set the state (`STOP`, `START`, `viber:unsubscribed`…). */
  keyword: string;
  /** Where it came from: `inbound:<provider>` for a reply, `provider:<provider>` for a channel-side withdrawal. */
  source: string;
  /** When the recipient asked (ISO-8601). */
  changedAt: string;
}
