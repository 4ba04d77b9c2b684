import { consentProofOf, jsonLimitIssue, ValidationError } from '@nudge/contracts';
import type { Request } from 'express';
import { z } from 'zod';
import { parseInput, requireJsonObject } from '../common/input-validation';
import type { SegmentOrigin, SegmentRequest } from './segment.service';
import type { SegmentMessageType } from './segment-messages';

/** Most bytes one request may take, as Segment documents ("500KB per batch request"). */
export const MAX_SEGMENT_REQUEST_BYTES = 500 * 1024;

/** A batch: its messages and the `context` they share; `writeKey`, `sentAt`, `integrations` and the rest are read elsewhere or ignored. */
export const segmentBatchSchema = z.object({
  batch: z.array(z.unknown()).min(1, 'must hold at least one message'),
  context: z.record(z.unknown()).optional(),
});

/**
 * The request `POST /segment/v1/batch` makes, or a 400 naming the field: the body within
 * 500 KB (Segment answers 400 past its limits, as here), `batch` a non-empty list.
 */
export function segmentBatchOf(body: unknown, request: Request): SegmentRequest {
  const object = requireJsonObject(body);
  assertWithinRequestLimit(object, request);
  const { batch, context } = parseInput(segmentBatchSchema, object, 'Segment batch');
  return { messages: batch, ...(context === undefined ? {} : { batchContext: context }), pathOf: (index) => ['batch', index] };
}

/** The request of a single call (`POST /segment/v1/track`…): the body is the message, its type the route's. */
export function segmentCallOf(type: SegmentMessageType, body: unknown, request: Request): SegmentRequest {
  const object = requireJsonObject(body);
  assertWithinRequestLimit(object, request);
  return { messages: [object], type, pathOf: () => [] };
}

/** The person behind the request, for consent proof when a message's `context` does not name one. */
export function segmentOriginOf(request: Request): SegmentOrigin {
  return consentProofOf(
    {},
    {
      forwardedFor: request.headers['x-forwarded-for'],
      userAgent: request.headers['user-agent'],
      remoteAddress: request.socket.remoteAddress,
    },
  );
}

/** By the declared length when the client sent one (the SDKs do), else by walking what was parsed. */
function assertWithinRequestLimit(body: Record<string, unknown>, request: Request): void {
  const declared = Number(request.headers['content-length']);
  const tooBig = Number.isFinite(declared)
    ? declared > MAX_SEGMENT_REQUEST_BYTES
    : jsonLimitIssue(body, { maxBytes: MAX_SEGMENT_REQUEST_BYTES, maxDepth: 16, maxKeys: 100_000, maxItems: 100_000 }) !== null;
  if (!tooBig) return;
  const message = `must be at most 500 KB (${MAX_SEGMENT_REQUEST_BYTES} bytes); send smaller batches`;
  throw new ValidationError(`invalid Segment request: the body ${message}`, [{ path: '(body)', message }]);
}
