import { randomUUID } from 'node:crypto';
import {
  boundedJsonObject,
  consentProofSchema,
  eventInputSchemaAt,
  eventInputSchemaOfWalkedJsonAt,
  JSON_FIELD_LIMITS,
  formatPath,
  idSchema,
  jsonLimitIssue,
  profileUpdateSchema,
  type ConsentProof,
  type EventAgeLimit,
  type EventEnvelope,
  type ProfileUpdate,
  type ValidationIssue,
} from '@nudge/contracts';
import { z } from 'zod';
import { checkInput, invalid, type Checked } from '../common/input-validation';

/** The calls of Segment's HTTP Tracking API (and RudderStack's, the same wire format). */
export const SEGMENT_MESSAGE_TYPES = ['track', 'identify', 'page', 'screen', 'group', 'alias'] as const;
export type SegmentMessageType = (typeof SEGMENT_MESSAGE_TYPES)[number];

/** Most bytes one message may take, as Segment documents ("32KB per call"). */
export const MAX_SEGMENT_MESSAGE_BYTES = 32 * 1024;

/** The event a `page` call becomes (SPEC §9), and a `screen` call. */
export const PAGE_VIEWED = 'page_viewed';
export const SCREEN_VIEWED = 'screen_viewed';

/** A profile change an `identify` asks for, finished by `profileUpdateOfIdentify` once the profile's country is known. */
export interface SegmentIdentify {
  kind: 'identify';
  userId: string;
  /** Traits as attributes, the e-mail address (transactional consent only), zone, locale, country. */
  update: ProfileUpdate;
  /** `traits.phone` as sent: normalised to E.164 with the country of the profile. */
  phone?: string;
  /** `context.consent.categoryPreferences`: category name → given. */
  consentPreferences?: Record<string, boolean>;
  /** Where the message names the person (`context.ip`, `context.userAgent`), when it does. */
  proof: ConsentProof;
  /** The message's path (`batch[3]`), for errors found when the update is finished. */
  path: (string | number)[];
}

/** A `group` call: the user joins `groupId` (the profile's `groups` list), with the group's traits. */
export interface SegmentGroup {
  kind: 'group';
  userId: string;
  groupId: string;
  traits: Record<string, unknown>;
  proof: ConsentProof;
  path: (string | number)[];
}

/** An `alias` call, or an `identify` carrying both ids: the anonymous profile merges into the known user's. */
export interface SegmentAlias {
  kind: 'alias';
  previousId: string;
  userId: string;
  proof: ConsentProof;
}

/** What one Segment message asks Nudge to do. */
export type SegmentAction = { kind: 'event'; envelope: EventEnvelope } | SegmentIdentify | SegmentGroup | SegmentAlias;

/** How messages are read: the route's type (a single call names none), the event age limit. */
export interface SegmentReading {
  /** The call type the route gives (`/segment/v1/track`); a batch item names its own `type`. */
  type?: SegmentMessageType;
  ageLimit: EventAgeLimit;
  /** The batch's own `context`, under each message's (Segment merges it into every item). */
  batchContext?: Record<string, unknown>;
}

/** Ids as text; a number (some SDKs send numeric user ids) is taken as its text. */
const idOrNumber = z.preprocess((value) => (typeof value === 'number' && Number.isFinite(value) ? String(value) : value), idSchema);

/**
 * The fields every call shares, read by hand: a zod object here cost as much again as the event
 * schema that checks them after. Others (integrations, _metadata, sentAt, writeKey…) are ignored,
 * as Segment does. `messageId`, `timestamp` and `context` are checked where they are used: by the
 * event schema for events (the same checks as `/v1/events`), by `boundedContext` for profile calls.
 */
interface CommonFields {
  type?: SegmentMessageType | null;
  userId?: unknown;
  anonymousId?: unknown;
  messageId?: unknown;
  timestamp?: unknown;
  originalTimestamp?: unknown;
  context?: Record<string, unknown>;
}

/** The common fields once the batch's context is merged in. */
type ReadFields = CommonFields & { context: Record<string, unknown> };

const MESSAGE_TYPES: ReadonlySet<string> = new Set(SEGMENT_MESSAGE_TYPES);

function commonFieldsOf(message: Record<string, unknown>, path: (string | number)[]): Checked<CommonFields> {
  const { type, context } = message;
  if (type != null && !(typeof type === 'string' && MESSAGE_TYPES.has(type))) {
    return failed([...path, 'type'], `must be one of ${SEGMENT_MESSAGE_TYPES.join(', ')}`);
  }
  if (context != null && (typeof context !== 'object' || Array.isArray(context))) return failed([...path, 'context'], 'must be an object');
  // The message itself, not a copy: one object fewer per message on the hot path.
  return { ok: true, value: message as CommonFields };
}

const boundedContext = z.object({ context: boundedJsonObject() });

const namedViewSchema = z.object({
  name: z.string().max(256).nullish(),
  category: z.string().max(256).nullish(),
  properties: boundedJsonObject().default({}),
});

const identifySchema = z.object({ traits: boundedJsonObject().default({}) });
const groupSchema = z.object({ groupId: idOrNumber, traits: boundedJsonObject().default({}) });
const aliasSchema = z.object({ previousId: idOrNumber, userId: idOrNumber });

const contextSchema = z.object({
  timezone: z.string().max(64).optional().catch(undefined),
  locale: z.string().max(35).optional().catch(undefined),
  ip: z.unknown(),
  userAgent: z.unknown(),
  consent: z.object({ categoryPreferences: z.record(z.string().max(128), z.boolean()).optional() }).optional(),
});

/**
 * One walk over the whole message: its size (Segment's 32 KB), and `JSON_FIELD_LIMITS` for
 * everything in it (keys, items, NUL, `__proto__`; nesting one level deeper, the message being
 * level 1), so an event's `properties` and `context` need no walk of their own.
 */
const MESSAGE_LIMITS = { ...JSON_FIELD_LIMITS, maxBytes: MAX_SEGMENT_MESSAGE_BYTES, maxDepth: JSON_FIELD_LIMITS.maxDepth + 1 };

/**
 * The actions of ONE Segment message (unknown JSON) received at `receivedAt`, or a
 * ValidationError whose details name each bad field under `path` (`batch[3].event`).
 * Pure: no I/O, no clock; the HTTP routes and the Kafka reader of Segment-shaped topics
 * both call it.
 */
export function segmentActionsOf(
  message: unknown,
  receivedAt: Date,
  reading: SegmentReading,
  path: (string | number)[] = [],
): SegmentAction[] {
  const checked = checkSegmentMessage(message, receivedAt, reading, path);
  if (checked.ok) return checked.value;
  throw invalid('Segment message', checked.issues);
}

/** `segmentActionsOf` returning the issues instead of throwing them, so a batch can name the problems of every message. */
export function checkSegmentMessage(
  message: unknown,
  receivedAt: Date,
  reading: SegmentReading,
  path: (string | number)[] = [],
): Checked<SegmentAction[]> {
  if (typeof message !== 'object' || message === null || Array.isArray(message)) {
    return failed(path, `must be a JSON object, got ${message === null ? 'null' : Array.isArray(message) ? 'an array' : typeof message}`);
  }
  const tooBig = jsonLimitIssue(message, MESSAGE_LIMITS);
  if (tooBig) return failed([...path, ...tooBig.path], tooBig.message);
  const common = commonFieldsOf(message as Record<string, unknown>, path);
  if (!common.ok) return common;
  const type = reading.type ?? common.value.type ?? undefined;
  if (type === undefined) return failed([...path, 'type'], `is required: one of ${SEGMENT_MESSAGE_TYPES.join(', ')}`);
  const context = withBatchContext(common.value.context ?? {}, reading.batchContext);
  const fields: ReadFields = context === common.value.context ? (common.value as ReadFields) : { ...common.value, context };
  const input = message as Record<string, unknown>;
  switch (type) {
    case 'track':
      return trackOf(input, fields, receivedAt, reading, path);
    case 'page':
    case 'screen':
      return viewOf(type, input, fields, receivedAt, reading, path);
    case 'identify':
      return identifyOf(input, fields, path);
    case 'group':
      return groupOf(input, fields, path);
    case 'alias':
      return aliasOf(input, fields, path);
  }
}

function trackOf(
  input: Record<string, unknown>,
  fields: ReadFields,
  receivedAt: Date,
  reading: SegmentReading,
  path: (string | number)[],
): Checked<SegmentAction[]> {
  if (input.event === undefined || input.event === null) return failed([...path, 'event'], 'is required: the name of the event');
  return eventOf(fields, input.event, input.properties, receivedAt, reading, path);
}

/** `page` → `page_viewed`, `screen` → `screen_viewed`; the page's name and category join its properties. */
function viewOf(
  type: 'page' | 'screen',
  input: Record<string, unknown>,
  fields: ReadFields,
  receivedAt: Date,
  reading: SegmentReading,
  path: (string | number)[],
): Checked<SegmentAction[]> {
  const view = checkInput(namedViewSchema, input, path);
  if (!view.ok) return view;
  const { name, category, properties } = view.value;
  const named = { ...(name == null ? {} : { name }), ...(category == null ? {} : { category }), ...properties };
  return eventOf(fields, type === 'page' ? PAGE_VIEWED : SCREEN_VIEWED, named, receivedAt, reading, path);
}

/** An event checked exactly as `POST /v1/events` checks one, its problems named by Segment's fields. */
function eventOf(
  fields: ReadFields,
  name: unknown,
  properties: unknown,
  receivedAt: Date,
  reading: SegmentReading,
  path: (string | number)[],
): Checked<SegmentAction[]> {
  const user = userOf(fields, path, true);
  if (!user.ok) return user;
  const timestamp = fields.timestamp ?? fields.originalTimestamp;
  const event = {
    eventId: fields.messageId ?? randomUUID(),
    userId: user.value.userId,
    name,
    ...(timestamp === undefined ? {} : { timestamp }),
    properties: properties ?? {},
    context: fields.context,
  };
  // A batch's context merged in was not walked with the message: then the schema walks context itself.
  const checked = eventSchemaAt(receivedAt, reading.ageLimit, reading.batchContext !== undefined).safeParse(event);
  if (!checked.success) {
    const timestampField = fields.timestamp === undefined ? 'originalTimestamp' : 'timestamp';
    const segmentField: Record<string, string> = {
      eventId: 'messageId',
      userId: user.value.field,
      name: 'event',
      timestamp: timestampField,
    };
    const issues = checked.error.issues.map((issue) => {
      const [head, ...rest] = issue.path;
      const field = typeof head === 'string' ? (segmentField[head] ?? head) : head;
      return { path: formatPath([...path, ...(field === undefined ? [] : [field]), ...rest]), message: issue.message };
    });
    return { ok: false, issues };
  }
  const at = receivedAt.toISOString();
  const { userId, timestamp: sentAt, properties: props, context } = checked.data;
  const envelope: EventEnvelope = {
    eventId: checked.data.eventId ?? randomUUID(),
    userId,
    name: checked.data.name,
    timestamp: sentAt === undefined ? at : new Date(sentAt).toISOString(),
    receivedAt: at,
    properties: props,
    context,
  };
  return { ok: true, value: [{ kind: 'event', envelope }] };
}

/** `identify`: traits → attributes, e-mail (transactional consent), zone, locale, country; both ids → an alias first. */
function identifyOf(input: Record<string, unknown>, fields: ReadFields, path: (string | number)[]): Checked<SegmentAction[]> {
  const call = profileCallOf(identifySchema, input, fields, path);
  if (!call.ok) return call;
  const { user, body, known } = call.value;
  const { email, phone, ...attributes } = body.traits;
  const issues: ValidationIssue[] = [];
  if (email !== undefined && email !== null && (typeof email !== 'string' || !/^[^\s@]+@[^\s@]+$/.test(email) || email.length > 512)) {
    issues.push({ path: formatPath([...path, 'traits', 'email']), message: 'must be an e-mail address' });
  }
  if (phone !== undefined && phone !== null && (typeof phone !== 'string' || phone.length > 64)) {
    issues.push({ path: formatPath([...path, 'traits', 'phone']), message: 'must be a phone number as text' });
  }
  if (issues.length > 0) return { ok: false, issues };
  const country = countryOf(body.traits.address);
  // A zone or locale the profile cannot hold is left out rather than failing the batch: the SDK, not the app, wrote it.
  const timezone = profileUpdateSchema.shape.timezone.safeParse(known.timezone).data ?? undefined;
  const locale = profileUpdateSchema.shape.locale.safeParse(known.locale).data?.replace('_', '-');
  const update: ProfileUpdate = {
    ...(Object.keys(attributes).length > 0 ? { attributes } : {}),
    ...(timezone === undefined ? {} : { timezone }),
    ...(locale === undefined ? {} : { locale }),
    ...(country === undefined ? {} : { country }),
    ...(typeof email === 'string' ? { channels: { email: { address: email.trim(), consent: { transactional: true } } } } : {}),
  };
  const identify: SegmentIdentify = {
    kind: 'identify',
    userId: user.userId,
    update,
    ...(typeof phone === 'string' && phone.trim() !== '' ? { phone: phone.trim() } : {}),
    ...(known.consent?.categoryPreferences === undefined ? {} : { consentPreferences: known.consent.categoryPreferences }),
    proof: proofOf(known),
    path,
  };
  if (user.field === 'anonymousId' || fields.anonymousId == null || fields.anonymousId === '') return { ok: true, value: [identify] };
  const anonymous = userOf({ ...fields, userId: undefined }, path);
  if (!anonymous.ok) return anonymous;
  const merges = anonymous.value.userId !== user.userId;
  return { ok: true, value: merges ? [aliasAction(anonymous.value.userId, user.userId, identify.proof), identify] : [identify] };
}

/** `group`: the user joins the group; its traits are kept beside the list. */
function groupOf(input: Record<string, unknown>, fields: ReadFields, path: (string | number)[]): Checked<SegmentAction[]> {
  const call = profileCallOf(groupSchema, input, fields, path);
  if (!call.ok) return call;
  const { user, body, known } = call.value;
  const group: SegmentGroup = {
    kind: 'group',
    userId: user.userId,
    groupId: body.groupId,
    traits: body.traits,
    proof: proofOf(known),
    path,
  };
  return { ok: true, value: [group] };
}

/**
 * The event schemas of one receipt time: built once per request rather than per message (a zod
 * refinement is an object graph; a batch of 500 would build 500).
 */
let lastEventSchemas: {
  at: number;
  maxAgeMs: number;
  walked: ReturnType<typeof eventInputSchemaOfWalkedJsonAt>;
  full: ReturnType<typeof eventInputSchemaAt>;
} | null = null;
function eventSchemaAt(receivedAt: Date, ageLimit: EventAgeLimit, contextNotWalked: boolean) {
  const at = receivedAt.getTime();
  if (lastEventSchemas?.at !== at || lastEventSchemas.maxAgeMs !== ageLimit.maxEventAgeMs) {
    lastEventSchemas = {
      at,
      maxAgeMs: ageLimit.maxEventAgeMs,
      walked: eventInputSchemaOfWalkedJsonAt(receivedAt, ageLimit),
      full: eventInputSchemaAt(receivedAt, ageLimit),
    };
  }
  return contextNotWalked ? lastEventSchemas.full : lastEventSchemas.walked;
}

/** `alias`: `previousId` (the anonymous id, usually) becomes `userId`. */
function aliasOf(input: Record<string, unknown>, fields: ReadFields, path: (string | number)[]): Checked<SegmentAction[]> {
  const body = checkInput(aliasSchema, input, path);
  if (!body.ok) return body;
  const { previousId, userId } = body.value;
  if (previousId === userId) return { ok: true, value: [] };
  return { ok: true, value: [aliasAction(previousId, userId, proofOf(knownContextOf(fields)))] };
}

/** What Nudge reads of a call's `context` (zone, locale, proof, consent), each part left out when it cannot be read. */
function knownContextOf(fields: ReadFields): z.infer<typeof contextSchema> | Record<string, never> {
  const context = contextSchema.safeParse(fields.context);
  return context.success ? context.data : {};
}

/** What an `identify` and a `group` share: their user, a context within the JSON limits, the body by `schema`, the known context. */
function profileCallOf<T>(
  schema: z.ZodType<T, z.ZodTypeDef, unknown>,
  input: Record<string, unknown>,
  fields: ReadFields,
  path: (string | number)[],
): Checked<{ user: { userId: string; field: 'userId' | 'anonymousId' }; body: T; known: ReturnType<typeof knownContextOf> }> {
  const user = userOf(fields, path);
  if (!user.ok) return user;
  const bounded = checkInput(boundedContext, fields, path);
  if (!bounded.ok) return bounded;
  const body = checkInput(schema, input, path);
  if (!body.ok) return body;
  return { ok: true, value: { user: user.value, body: body.value, known: knownContextOf(fields) } };
}

function aliasAction(previousId: string, userId: string, proof: ConsentProof): SegmentAlias {
  return { kind: 'alias', previousId, userId, proof };
}

/** The user a call is about: `userId`, else `anonymousId` (an anonymous visitor's events are kept against it). */
function userOf(
  fields: Pick<CommonFields, 'userId' | 'anonymousId'>,
  path: (string | number)[],
  checkedLater = false,
): Checked<{ userId: string; field: 'userId' | 'anonymousId' }> {
  for (const field of ['userId', 'anonymousId'] as const) {
    const value = fields[field];
    if (value == null || value === '') continue;
    // An event's ids are checked by the event schema (and named by their Segment field there).
    if (checkedLater && typeof value === 'string') return { ok: true, value: { userId: value, field } };
    const id = idOrNumber.safeParse(value);
    if (!id.success)
      return { ok: false, issues: id.error.issues.map((issue) => ({ path: formatPath([...path, field]), message: issue.message })) };
    return { ok: true, value: { userId: id.data, field } };
  }
  return failed([...path, 'userId'], 'userId or anonymousId is required');
}

/** `context.ip` and `context.userAgent` when they are well formed; the request's own fill the gaps later. */
function proofOf(context: { ip?: unknown; userAgent?: unknown }): ConsentProof {
  const ip = consentProofSchema.shape.ip.safeParse(context.ip);
  const userAgent = consentProofSchema.shape.userAgent.safeParse(context.userAgent);
  return {
    ...(ip.success && ip.data !== undefined ? { ip: ip.data } : {}),
    ...(userAgent.success && userAgent.data !== undefined ? { userAgent: userAgent.data } : {}),
  };
}

/** `traits.address.country` when it is an ISO-3166 alpha-2 code (`es` or `ES`); names such as "Spain" stay only in the attributes. */
function countryOf(address: unknown): string | undefined {
  if (typeof address !== 'object' || address === null) return undefined;
  const country = (address as { country?: unknown }).country;
  return typeof country === 'string' && /^[A-Za-z]{2}$/.test(country.trim()) ? country.trim().toUpperCase() : undefined;
}

function withBatchContext(context: Record<string, unknown>, batchContext: Record<string, unknown> | undefined): Record<string, unknown> {
  return batchContext === undefined ? context : { ...batchContext, ...context };
}

function failed(path: (string | number)[], message: string): { ok: false; issues: ValidationIssue[] } {
  return { ok: false, issues: [{ path: formatPath(path) || '(body)', message }] };
}
