import { suppressionAddress } from '@nudge/channel-rules';
import { channelSchema, parseOrThrow, type ChannelAddress } from '@nudge/contracts';
import { z } from 'zod';

export const suppressionsQuerySchema = z.object({
  channel: channelSchema,
  address: z.string().trim().min(1, 'must not be empty').max(512, 'must be at most 512 characters'),
});

/** `GET /v1/suppressions?channel=&address=`: both required; the address keyed as a STOP's sender is (E.164, e-mail lower-cased). */
export function parseSuppressionsQuery(query: unknown): ChannelAddress {
  const { channel, address } = parseOrThrow(suppressionsQuerySchema, query, 'query');
  return { channel, address: suppressionAddress(channel, address) };
}
