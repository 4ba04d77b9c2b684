import { channelSchema, MESSAGE_STATUSES, parseOrThrow } from '@nudge/contracts';
import { z } from 'zod';

type ReportableStatus = Exclude<(typeof MESSAGE_STATUSES)[number], 'queued' | 'unknown'>;

/** Statuses a test may set through the sandbox; `queued` and `unknown` are dispatch's own (no provider reports them). */
export const REPORTABLE_STATUSES = MESSAGE_STATUSES.filter((status) => status !== 'queued' && status !== 'unknown') as [
  ReportableStatus,
  ...ReportableStatus[],
];

export const sandboxStatusSchema = z
  .object({
    messageId: z.string().trim().min(1, 'must not be empty'),
    status: z.enum(REPORTABLE_STATUSES, { errorMap: () => ({ message: `must be one of ${REPORTABLE_STATUSES.join(', ')}` }) }),
    reason: z.string().max(1_000).optional(),
  })
  .strict();

export const sandboxInboundSchema = z
  .object({
    channel: channelSchema,
    from: z.string().trim().min(1, 'must not be empty'),
    text: z.string().max(10_000),
    /** As a real provider's message id: the same id again is a redelivery, handled once. */
    providerMessageId: z.string().trim().min(1, 'must not be empty').max(200).optional(),
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
