import { Inject, Injectable } from '@nestjs/common';
import type { Channel } from '@nudge/contracts';
import { returnedRows } from '@nudge/persistence';
import { DATA_SOURCE } from '@nudge/service-runtime';
import type { DataSource, EntityManager } from 'typeorm';

/** An inbound message as recorded: who wrote (and which user that is, when known) and what. */
export interface RecordedInbound {
  provider: string;
  /** The provider's id of the message, when it gives one: unique per provider. */
  providerMessageId: string | null;
  channel: Channel;
  fromAddress: string;
  userId: string | null;
  /** The message it answers: the newest one sent to that address on that channel. */
  messageId: string | null;
  text: string;
  receivedAt: string;
}

/** Where a recipient is reached: a channel and an address on it. */
export interface ChannelAddress {
  channel: Channel;
  address: string;
}

/** The `inbound_messages` table: every reply and STOP as received, and when each address last wrote. */
@Injectable()
export class InboundMessagesStore {
  constructor(@Inject(DATA_SOURCE) private readonly dataSource: DataSource) {}

  /**
   * Records an inbound message in the caller's transaction; answers its id, or null when the
   * provider already delivered a message with this id (a redelivered webhook: nothing to do again).
   */
  async record(manager: EntityManager, inbound: RecordedInbound): Promise<string | null> {
    const result: unknown = await manager.query(
      `INSERT INTO inbound_messages (provider, provider_message_id, channel, from_address, user_id, message_id, text, received_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
       ON CONFLICT (provider, provider_message_id) WHERE provider_message_id IS NOT NULL DO NOTHING
       RETURNING id`,
      [
        inbound.provider,
        inbound.providerMessageId,
        inbound.channel,
        inbound.fromAddress,
        inbound.userId,
        inbound.messageId,
        inbound.text,
        inbound.receivedAt,
      ],
    );
    const [row] = returnedRows<{ id: string }>(result);
    return row ? String(row.id) : null;
  }

  /** When each address last wrote on its channel (absent: never), for many addresses in one query. */
  async lastInboundAt(addresses: ChannelAddress[]): Promise<Map<string, Date>> {
    const distinct = [...new Map(addresses.map((a) => [addressKey(a), a])).values()];
    if (distinct.length === 0) return new Map();
    const rows: { channel: Channel; address: string; last: Date | null }[] = await this.dataSource.query(
      `SELECT a.channel, a.address,
         (SELECT max(i.received_at) FROM inbound_messages i WHERE i.channel = a.channel AND i.from_address = a.address) AS last
       FROM unnest($1::text[], $2::text[]) AS a(channel, address)`,
      [distinct.map((a) => a.channel), distinct.map((a) => a.address)],
    );
    return new Map(rows.flatMap((row) => (row.last ? [[addressKey(row), row.last] as const] : [])));
  }
}

/** The key of a channel address in `lastInboundAt`'s answer. */
export function addressKey(address: ChannelAddress): string {
  return `${address.channel}\u0000${address.address}`;
}
