import type { Checked } from '../common/input-validation';

/** The attributes of a CloudEvent (spec v1.0) as text: `id`, `type`, `source`, `specversion`, `time`, `subject`, extensions. */
export type CloudEventAttributes = Record<string, string>;

/** The CloudEvents header prefix of the Kafka protocol binding's binary content mode (`ce_type`, `ce_id`, …). */
export const CLOUDEVENTS_HEADER_PREFIX = 'ce_';
/** A structured-mode record says so in its `content-type` header (`application/cloudevents+json`). */
const STRUCTURED_CONTENT_TYPE = /^application\/cloudevents/i;
const JSON_CONTENT_TYPE = /^application\/(?:[\w.-]+\+)?json\s*(?:;|$)/i;
const REQUIRED = ['id', 'source', 'type'] as const;

/**
 * How a CloudEvent names its parts, for errors: a binary-mode event's attributes are headers
 * (`ce_type`), its data the record's value (`data`); a structured one's are fields of the value.
 */
export type CloudEventMode = 'binary' | 'structured';

/**
 * Whether a record's headers make it a CloudEvent, and in which content mode (Kafka protocol
 * binding §3): `content-type: application/cloudevents…` is structured; a `ce_specversion`
 * header is binary; anything else is not a CloudEvent.
 */
export function cloudEventModeOf(headers: Record<string, string>): CloudEventMode | null {
  if (STRUCTURED_CONTENT_TYPE.test(headers['content-type'] ?? '')) return 'structured';
  return headers[`${CLOUDEVENTS_HEADER_PREFIX}specversion`] === undefined ? null : 'binary';
}

/** The attributes and data of a binary-mode CloudEvent: `ce_*` headers, `content-type` as `datacontenttype`, the value as data. */
export function binaryCloudEvent(headers: Record<string, string>, value: unknown): { attributes: CloudEventAttributes; data: unknown } {
  const attributes: CloudEventAttributes = {};
  for (const [name, text] of Object.entries(headers)) {
    if (name.startsWith(CLOUDEVENTS_HEADER_PREFIX)) attributes[name.slice(CLOUDEVENTS_HEADER_PREFIX.length)] = text;
  }
  if (headers['content-type'] !== undefined) attributes.datacontenttype = headers['content-type'];
  return { attributes, data: value };
}

/** The attributes and data of a structured-mode CloudEvent (JSON event format): every field but `data` is an attribute. */
export function structuredCloudEvent(value: unknown): Checked<{ attributes: CloudEventAttributes; data: unknown }> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return { ok: false, issues: [{ path: '(body)', message: 'a structured CloudEvent must be a JSON object' }] };
  }
  const { data, data_base64: base64, ...rest } = value as Record<string, unknown>;
  if (base64 !== undefined) return { ok: false, issues: [{ path: 'data_base64', message: 'binary data is not read: send JSON data' }] };
  const attributes: CloudEventAttributes = {};
  for (const [name, attribute] of Object.entries(rest)) {
    if (attribute !== null && attribute !== undefined)
      attributes[name] = typeof attribute === 'string' ? attribute : JSON.stringify(attribute);
  }
  return { ok: true, value: { attributes, data } };
}

/**
 * A CloudEvent as the Segment `track` message it means, so it is checked and applied exactly as
 * an HTTP call: `type` → `event`, `id` → `messageId` (the eventId: the same id twice is one
 * event), `time` → `timestamp`, `data` (a JSON object) → `properties`; the user is `subject`,
 * else `data.userId`, else the record's key. `source`, `specversion` and the other attributes go
 * into `context.cloudevents`. Problems are named by the CloudEvent's own parts (`ce_type`).
 */
export function trackMessageOfCloudEvent(
  event: { attributes: CloudEventAttributes; data: unknown },
  mode: CloudEventMode,
  key: string | null,
): Checked<Record<string, unknown>> {
  const { attributes, data } = event;
  const name = (attribute: string) => cloudEventField(attribute, mode);
  const issues = [];
  if (attributes.specversion !== '1.0') {
    issues.push({ path: name('specversion'), message: `must be 1.0, got ${attributes.specversion ?? 'nothing'}` });
  }
  for (const attribute of REQUIRED) {
    if ((attributes[attribute] ?? '').trim() === '') issues.push({ path: name(attribute), message: 'is required' });
  }
  if (attributes.datacontenttype !== undefined && !JSON_CONTENT_TYPE.test(attributes.datacontenttype)) {
    issues.push({ path: name('datacontenttype'), message: `must be application/json (or +json), got ${attributes.datacontenttype}` });
  }
  const properties = data === undefined || data === null ? {} : data;
  if (typeof properties !== 'object' || Array.isArray(properties)) {
    issues.push({ path: 'data', message: 'must be a JSON object (its fields become the event properties)' });
  }
  if (issues.length > 0) return { ok: false, issues };
  const { id, type, time, subject, ...context } = attributes;
  const dataUser = (properties as { userId?: unknown }).userId;
  const userId = subject ?? (typeof dataUser === 'string' && dataUser !== '' ? dataUser : (key ?? undefined));
  return {
    ok: true,
    value: {
      type: 'track',
      messageId: id,
      event: type,
      ...(userId === undefined ? {} : { userId }),
      ...(time === undefined ? {} : { timestamp: time }),
      properties,
      context: { cloudevents: context },
    },
  };
}

/** What a problem of the Segment message made from a CloudEvent is called in the CloudEvent. */
const SEGMENT_TO_CLOUDEVENT: Record<string, string> = {
  messageId: 'id',
  event: 'type',
  timestamp: 'time',
  userId: 'subject',
  properties: 'data',
};

/** A Segment path (`event`, `properties.cartValue`) as the CloudEvent part it came from (`ce_type`, `data.cartValue`). */
export function cloudEventPath(segmentPath: string, mode: CloudEventMode): string {
  const match = /^([A-Za-z_]+)(.*)$/.exec(segmentPath);
  const attribute = match?.[1] === undefined ? undefined : SEGMENT_TO_CLOUDEVENT[match[1]];
  if (match === null || attribute === undefined) return segmentPath;
  return attribute === 'data' ? `data${match[2]}` : `${cloudEventField(attribute, mode)}${match[2]}`;
}

function cloudEventField(attribute: string, mode: CloudEventMode): string {
  if (mode === 'structured') return attribute;
  return attribute === 'datacontenttype' ? 'content-type' : `${CLOUDEVENTS_HEADER_PREFIX}${attribute}`;
}
