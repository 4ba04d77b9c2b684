import { formatPath, MAX_BATCH_EVENTS, recordEventId, type EventAgeLimit, type ValidationIssue } from '@nudge/contracts';
import { checkSegmentMessage } from '../segment/segment-messages';
import { binaryCloudEvent, cloudEventModeOf, cloudEventPath, structuredCloudEvent, trackMessageOfCloudEvent } from './cloudevents';

/** A record of an intake topic (`INGEST_KAFKA_TOPICS`), its headers as text. */
export interface IntakeRecord {
  topic: string;
  partition: number;
  offset: string;
  key: string | null;
  headers: Record<string, string>;
  /** The record's value, decoded from JSON. */
  value: unknown;
}

/** What a record was read as: Segment messages, or a CloudEvent (binary or structured mode). */
export type IntakeFormat = 'segment' | 'cloudevent';

/** The Segment messages a record holds, each checked as the HTTP routes check one, or the problems that dead-letter it. */
export type ReadRecord =
  { ok: true; format: IntakeFormat; messages: Record<string, unknown>[] } | { ok: false; format: IntakeFormat; issues: ValidationIssue[] };

/**
 * Reads one record of an intake topic, deciding its format by itself: a record whose headers
 * make it a CloudEvent (`ce_specversion`, or `content-type: application/cloudevents+json`) is one
 * event, read as the `track` call it means (`trackMessageOfCloudEvent`); anything else is a
 * Segment message (`{ "type": "track", … }`) or a Segment batch (`{ "batch": [ … ], "context" }`).
 * A message without `messageId` gets one from the record's place (`kafka:<topic>:<partition>:<offset>`,
 * `:<index>` within a batch), so reading the record again publishes the same events.
 * Pure: `receivedAt` is the time the checks judge timestamps by.
 */
export function readIntakeRecord(record: IntakeRecord, receivedAt: Date, ageLimit: EventAgeLimit): ReadRecord {
  const mode = cloudEventModeOf(record.headers);
  if (mode === null) return readSegmentRecord(record, receivedAt, ageLimit);
  const event =
    mode === 'binary' ? { ok: true as const, value: binaryCloudEvent(record.headers, record.value) } : structuredCloudEvent(record.value);
  if (!event.ok) return { ok: false, format: 'cloudevent', issues: event.issues };
  const message = trackMessageOfCloudEvent(event.value, mode, record.key);
  if (!message.ok) return { ok: false, format: 'cloudevent', issues: message.issues };
  const checked = checkSegmentMessage(message.value, receivedAt, { ageLimit });
  if (!checked.ok) {
    const issues = checked.issues.map((issue) => ({ ...issue, path: cloudEventPath(issue.path, mode) }));
    return { ok: false, format: 'cloudevent', issues };
  }
  return { ok: true, format: 'cloudevent', messages: [message.value] };
}

function readSegmentRecord(record: IntakeRecord, receivedAt: Date, ageLimit: EventAgeLimit): ReadRecord {
  const { value } = record;
  const batch = isObject(value) && 'batch' in value ? value.batch : undefined;
  if (batch !== undefined && !Array.isArray(batch)) return segmentProblem(['batch'], 'must be an array of Segment messages');
  if (Array.isArray(batch) && batch.length > MAX_BATCH_EVENTS) {
    return segmentProblem(['batch'], `must hold at most ${MAX_BATCH_EVENTS} messages; split it into several records`);
  }
  const context = isObject(value) && isObject(value.context) ? value.context : undefined;
  const items: unknown[] = Array.isArray(batch) ? batch : [value];
  const messages: Record<string, unknown>[] = [];
  const issues: ValidationIssue[] = [];
  items.forEach((item, index) => {
    const path = Array.isArray(batch) ? ['batch', index] : [];
    const withId = Array.isArray(batch) ? withBatchDefaults(item, record, index, context) : withBatchDefaults(item, record);
    const checked = checkSegmentMessage(withId, receivedAt, { ageLimit }, path);
    if (!checked.ok) issues.push(...checked.issues);
    else messages.push(withId as Record<string, unknown>);
  });
  return issues.length > 0 ? { ok: false, format: 'segment', issues } : { ok: true, format: 'segment', messages };
}

/** A message with a `messageId` from the record's place when it has none, and its batch's `context` under its own. */
function withBatchDefaults(message: unknown, record: IntakeRecord, index?: number, batchContext?: Record<string, unknown>): unknown {
  if (!isObject(message)) return message;
  const place = recordEventId(record);
  const messageId = message.messageId ?? (index === undefined ? place : `${place}:${index}`);
  // Segment merges the batch's context under each message's; a context that is no object is left for the check to name.
  const merges = batchContext !== undefined && (message.context === undefined || isObject(message.context));
  const context = merges ? { ...batchContext, ...(message.context as Record<string, unknown> | undefined) } : message.context;
  return { ...message, messageId, ...(context === undefined ? {} : { context }) };
}

function segmentProblem(path: (string | number)[], message: string): ReadRecord {
  return { ok: false, format: 'segment', issues: [{ path: formatPath(path), message }] };
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
