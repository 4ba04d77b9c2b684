import { channelSchema, MESSAGE_STATUSES, parseOrThrow } from '@nudge/contracts';
import { z } from 'zod';

/** Statuses a test may set through the sandbox; `queued` is dispatch's own. */
export const REPORTABLE_STATUSES = MESSAGE_STATUSES.filter((status) => status !== 'queued') as [
  Exclude<(typeof MESSAGE_STATUSES)[number], 'queued'>,
  ...Exclude<(typeof MESSAGE_STATUSES)[number], 'queued'>[],
];

const sandboxStatusSchema = z
  .object({
    messageId: z.string().trim().min(1, 'must not be empty'),
    status: z.enum(REPORTABLE_STATUSES, { errorMap: () => ({ message: `must be one of ${REPORTABLE_STATUSES.join(', ')}` }) }),
    reason: z.string().max(1_000).optional(),
  })
  .strict();

const sandboxInboundSchema = z
  .object({
    channel: channelSchema,
    from: z.string().trim().min(1, 'must not be empty'),
    text: z.string().max(10_000),
  })
  .strict();

export type SandboxStatusInput = z.infer<typeof sandboxStatusSchema>;
export type SandboxInboundInput = z.infer<typeof sandboxInboundSchema>;

/** `POST /v1/providers/sandbox/status` body, or a ValidationError naming each bad field. */
export function parseSandboxStatus(body: unknown): SandboxStatusInput {
  return parseOrThrow(sandboxStatusSchema, body ?? {}, 'status report');
}

/** `POST /v1/providers/sandbox/inbound` body, or a ValidationError naming each bad field. */
export function parseSandboxInbound(body: unknown): SandboxInboundInput {
  return parseOrThrow(sandboxInboundSchema, body ?? {}, 'inbound message');
}
