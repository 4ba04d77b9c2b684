import { parseCampaignText } from '@nudge/campaigns';
import {
  eventInputSchema,
  issuesFromZod,
  parseRequestOrThrow,
  profileUpdateSchema,
  ValidationError,
  type EventEnvelope,
  type Profile,
  type ValidationIssue,
} from '@nudge/contracts';
import { simulationEventOf, simulationProfileOf } from '@nudge/simulation';
import { z } from 'zod';

/** The most events one simulation replays (given, or read from the events topic). */
export const MAX_SIMULATED_EVENTS = 10_000;
/** The most profiles one request gives. */
export const MAX_SIMULATED_PROFILES = 10_000;
/** The longest campaign text (YAML or JSON) a request gives. */
export const MAX_CAMPAIGN_TEXT = 256 * 1024;
/** The most bad events or profiles one 400 names (the rest are counted). */
const MAX_REPORTED = 50;

/** `POST /v1/campaigns/simulate`: a campaign (a document, its YAML or JSON text, or a saved one's id) and events (given, or the last n). */
export const simulateRequestSchema = z
  .object({
    campaign: z
      .union([z.string().max(MAX_CAMPAIGN_TEXT, `must be at most ${MAX_CAMPAIGN_TEXT} characters`), z.record(z.unknown())], {
        errorMap: () => ({ message: 'must be a campaign document or its YAML/JSON text' }),
      })
      .optional()
      .describe('The campaign to try: a document (as `PUT /v1/campaigns/{id}` takes) or its YAML or JSON text.'),
    campaignId: z.string().min(1, 'must not be empty').max(200).optional().describe('Or a saved campaign, as it runs now.'),
    events: z
      .array(z.unknown())
      .max(MAX_SIMULATED_EVENTS, `must hold at most ${MAX_SIMULATED_EVENTS} events`)
      .optional()
      .describe('Events as `POST /v1/events` takes them, each with a `timestamp` (virtual time comes from them).'),
    lastEvents: z
      .number({ invalid_type_error: 'must be a number' })
      .int('must be a whole number')
      .min(1, 'must be at least 1')
      .max(MAX_SIMULATED_EVENTS, `must be at most ${MAX_SIMULATED_EVENTS}`)
      .optional()
      .describe('Or the last n events of the events topic (nudge.events.v1), as rules received them.'),
    profiles: z
      .array(z.unknown())
      .max(MAX_SIMULATED_PROFILES, `must hold at most ${MAX_SIMULATED_PROFILES} profiles`)
      .optional()
      .describe('`{ "userId", …PUT /v1/users body }` each. Absent: the stored profiles (and address opt-outs) of the users in the events.'),
  })
  .strict()
  .superRefine((request, ctx) => {
    if ((request.campaign === undefined) === (request.campaignId === undefined)) {
      ctx.addIssue({ code: 'custom', path: ['campaign'], message: 'give campaign or campaignId (one of them)' });
    }
    if ((request.events === undefined) === (request.lastEvents === undefined)) {
      ctx.addIssue({ code: 'custom', path: ['events'], message: 'give events or lastEvents (one of them)' });
    }
  });

/** What to simulate, checked: the campaign still to validate (or a saved one's id), events given or how many to read, profiles given or not. */
export interface SimulationRequest {
  campaign: { document: unknown } | { id: string };
  events: { given: EventEnvelope[] } | { last: number };
  profiles?: Profile[];
}

/** The request, or a 400 naming each bad field (`events[3].timestamp`, `profiles[0].channels.sms.address`, `campaign`). */
export function simulationRequestOf(body: unknown): SimulationRequest {
  const request = parseRequestOrThrow(simulateRequestSchema, body ?? {}, 'simulation request');
  const issues: ValidationIssue[] = [];
  const campaign =
    request.campaignId !== undefined ? { id: request.campaignId } : { document: campaignDocumentOf(request.campaign, issues) };
  const events = request.events !== undefined ? { given: eventsOf(request.events, issues) } : { last: request.lastEvents as number };
  const profiles = request.profiles === undefined ? undefined : profilesOf(request.profiles, issues);
  if (issues.length > 0) {
    const shown = issues.slice(0, MAX_REPORTED);
    const more = issues.length > MAX_REPORTED ? ` (and ${issues.length - MAX_REPORTED} more)` : '';
    throw new ValidationError(`invalid simulation request: ${shown.map((i) => `${i.path} ${i.message}`).join('; ')}${more}`, shown);
  }
  return { campaign, events, ...(profiles ? { profiles } : {}) };
}

/** A document as given, or parsed from its YAML or JSON text (a syntax error is an issue at `campaign`). */
function campaignDocumentOf(campaign: unknown, issues: ValidationIssue[]): unknown {
  if (typeof campaign !== 'string') return campaign;
  const parsed = parseCampaignText(campaign, 'campaign.yaml');
  if (parsed.ok) return parsed.value;
  issues.push(...parsed.errors.map((e) => ({ path: 'campaign', message: e.message.replace(/^campaign\.yaml:/, 'line ') })));
  return undefined;
}

function eventsOf(events: unknown[], issues: ValidationIssue[]): EventEnvelope[] {
  const envelopes: EventEnvelope[] = [];
  for (const [i, raw] of events.entries()) {
    const parsed = eventInputSchema.safeParse(raw);
    if (!parsed.success) issues.push(...issuesFromZod(parsed.error.issues, ['events', i]));
    else if (parsed.data.timestamp === undefined) issues.push({ path: `events[${i}].timestamp`, message: 'is required to simulate' });
    else envelopes.push(simulationEventOf({ ...parsed.data, timestamp: parsed.data.timestamp }, `event-${i + 1}`));
  }
  return envelopes;
}

function profilesOf(profiles: unknown[], issues: ValidationIssue[]): Profile[] {
  const made: Profile[] = [];
  for (const [i, raw] of profiles.entries()) {
    const { userId, ...update } = raw !== null && typeof raw === 'object' && !Array.isArray(raw) ? (raw as { userId?: unknown }) : {};
    const parsed = profileUpdateSchema.safeParse(update);
    if (typeof userId !== 'string' || userId === '') issues.push({ path: `profiles[${i}].userId`, message: 'is required' });
    else if (!parsed.success) issues.push(...issuesFromZod(parsed.error.issues, ['profiles', i]));
    else made.push(simulationProfileOf(userId, parsed.data, 'simulation'));
  }
  return made;
}
