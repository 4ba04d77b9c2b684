import { compileCampaign } from '@nudge/campaigns';
import { profileAddresses, suppressionAddress } from '@nudge/channel-rules';
import {
  channelSchema,
  eventInputSchema,
  issuesFromZod,
  profileUpdateSchema,
  type Channel,
  type EventEnvelope,
  type Profile,
  type Suppression,
} from '@nudge/contracts';
import { simulate, simulationEventOf, simulationProfileOf, type SimulatedDecision } from '@nudge/simulation';
import { readFile } from 'node:fs/promises';
import { z } from 'zod';
import { readConfigDir } from '../config-dir';
import { formatIssue } from './validate';

export interface SimulateOptions {
  events: string;
  profiles?: string;
  suppressions?: string;
  json: boolean;
}

/**
 * `nudge simulate <dir> --events file.ndjson [--profiles file] [--suppressions file]`: replays the events
 * through the same pure decisions rules makes, on virtual time, and prints every
 * decision — what would be sent, when, on which channel, and every non-send with why.
 */
export async function simulateCommand(
  dir: string,
  options: SimulateOptions,
  out: (line: string) => void,
  progress: (line: string) => void,
): Promise<number> {
  const config = await readConfigDir(dir);
  if (config.issues.length > 0) {
    for (const issue of config.issues) out(formatIssue(issue));
    return 1;
  }
  const eventsText = await readFile(options.events, 'utf8');
  const profilesText = options.profiles ? await readFile(options.profiles, 'utf8') : undefined;
  const suppressionsText = options.suppressions ? await readFile(options.suppressions, 'utf8') : undefined;
  let events: EventEnvelope[];
  let profiles: Profile[];
  let suppressions: Suppression[];
  try {
    events = parseEvents(eventsText, options.events);
    profiles = options.profiles && profilesText !== undefined ? parseProfiles(profilesText, options.profiles) : [];
    suppressions = options.suppressions && suppressionsText !== undefined ? parseSuppressions(suppressionsText, options.suppressions) : [];
  } catch (error) {
    // Invalid files exit 1, like invalid campaigns; a file that cannot be read is a usage error (2).
    for (const line of (error as Error).message.split('\n')) out(line);
    return 1;
  }
  progress(`simulating ${events.length} events for ${profiles.length} profiles through ${config.campaigns.length} campaigns`);
  const decisions = await simulate({
    campaigns: config.campaigns.map((c) => compileCampaign(c.document, 1)),
    settings: config.settings,
    profiles,
    events,
    suppressions: suppressionsByUser(profiles, suppressions),
  });
  if (options.json) out(JSON.stringify(decisions, null, 2));
  else for (const decision of decisions) out(formatDecision(decision));
  const sent = decisions.filter((d) => d.outcome === 'sent').length;
  progress(`${sent} sent, ${decisions.length - sent} other decisions`);
  return 0;
}

function formatDecision(d: SimulatedDecision): string {
  const campaign = d.stepId ? `${d.campaignId}/${d.stepId}` : d.campaignId;
  const head = `${d.at}  ${d.outcome.padEnd(19)} ${campaign}  ${d.userId}  ${d.triggerEventId}`;
  if (d.outcome === 'sent')
    return `${head}  ${d.channel} ${d.to}: ${d.renderError ? `would fail, ${d.renderError}` : JSON.stringify(d.body)}`;
  return `${head}  ${d.reason}`;
}

/**
 * One event per line (blank lines and `#` comments skipped); every event needs a timestamp.
 * Every bad line is reported, not only the first (see `eachLine`).
 */
export function parseEvents(text: string, file: string): EventEnvelope[] {
  return eachLine(nonEmptyLines(text), file, ({ line, value }) => {
    const parsed = eventInputSchema.safeParse(parseJsonLine(value, file, line));
    if (!parsed.success) throw new Error(`${file}:${line}: ${describe(parsed.error.issues)}`);
    if (!parsed.data.timestamp)
      throw new Error(`${file}:${line}: timestamp: required to simulate (virtual time comes from event timestamps)`);
    return simulationEventOf({ ...parsed.data, timestamp: parsed.data.timestamp }, `line-${line}`);
  });
}

/** Profiles as a JSON array or one per line: `{ "userId": "ana", ...PUT /v1/users body }`. */
export function parseProfiles(text: string, file: string): Profile[] {
  return eachLine(entriesOf(text, file), file, ({ line, value }) => {
    const { userId, ...update } = (value ?? {}) as { userId?: unknown };
    if (typeof userId !== 'string' || !userId) throw new Error(`${file}:${line}: userId: required`);
    const parsed = profileUpdateSchema.safeParse(update);
    if (!parsed.success) throw new Error(`${file}:${line}: ${describe(parsed.error.issues)}`);
    return simulationProfileOf(userId, parsed.data, `file:${file}`);
  });
}

const suppressionLineSchema = z
  .object({
    channel: channelSchema,
    address: z.string().trim().min(1, 'must not be empty').max(512),
    suppressed: z.boolean().default(true),
    keyword: z.string().max(64).default('STOP'),
    changedAt: z.string().datetime({ offset: true, message: 'must be an ISO-8601 date-time' }).optional(),
  })
  .strict();

/**
 * Address opt-outs as a JSON array or one per line: `{ "channel": "sms", "address": "+34600000001" }`
 * (what `GET /v1/suppressions` shows; `suppressed` defaults to true, `keyword` to STOP). Addresses
 * are keyed as dispatch keys a STOP's sender (E.164 numbers, lower-cased e-mail).
 */
export function parseSuppressions(text: string, file: string): Suppression[] {
  return eachLine(entriesOf(text, file), file, ({ line, value }) => {
    const parsed = suppressionLineSchema.safeParse(value);
    if (!parsed.success) throw new Error(`${file}:${line}: ${describe(parsed.error.issues)}`);
    const { channel, address, suppressed, keyword, changedAt } = parsed.data;
    return {
      channel,
      address: suppressionAddress(channel, address),
      suppressed,
      keyword,
      source: `file:${file}`,
      changedAt: changedAt === undefined ? '1970-01-01T00:00:00.000Z' : new Date(changedAt).toISOString(),
    };
  });
}

/** The suppressions of each profile's addresses, by user then channel, as rules loads them at send time. */
export function suppressionsByUser(
  profiles: readonly Profile[],
  suppressions: readonly Suppression[],
): Map<string, Map<Channel, Suppression>> {
  const byAddress = new Map(suppressions.map((s) => [`${s.channel}\u0000${s.address}`, s]));
  const byUser = new Map<string, Map<Channel, Suppression>>();
  for (const profile of profiles) {
    for (const { channel, address } of profileAddresses(profile)) {
      const suppression = byAddress.get(`${channel}\u0000${address}`);
      if (suppression === undefined) continue;
      byUser.set(profile.userId, (byUser.get(profile.userId) ?? new Map<Channel, Suppression>()).set(channel, suppression));
    }
  }
  return byUser;
}

/** The entries of a JSON array, or of one JSON value per line, with their line (array: position) numbers. */
function entriesOf(text: string, file: string): { line: number; value: unknown }[] {
  const trimmed = text.trim();
  return trimmed.startsWith('[')
    ? (JSON.parse(trimmed) as unknown[]).map((value, i) => ({ line: i + 1, value }))
    : nonEmptyLines(text).map(({ line, value }) => ({ line, value: parseJsonLine(value, file, line) }));
}

/** The most bad lines one error lists; the rest are counted. */
const MAX_REPORTED_LINES = 50;

/**
 * Reads every entry with `read`, and when some are bad throws one error listing each bad line
 * (`file:line: why`, the first MAX_REPORTED_LINES of them and how many more), so a file is
 * fixed in one pass, not one line per run.
 */
function eachLine<E, T>(entries: E[], file: string, read: (entry: E) => T): T[] {
  const values: T[] = [];
  const errors: string[] = [];
  for (const entry of entries) {
    try {
      values.push(read(entry));
    } catch (error) {
      errors.push((error as Error).message);
    }
  }
  if (errors.length === 0) return values;
  const more = errors.length > MAX_REPORTED_LINES ? [`… and ${errors.length - MAX_REPORTED_LINES} more bad lines`] : [];
  const head = errors.length === 1 ? '' : `${file}: ${errors.length} bad lines\n`;
  throw new Error(`${head}${[...errors.slice(0, MAX_REPORTED_LINES), ...more].join('\n')}`);
}

function nonEmptyLines(text: string): { line: number; value: string }[] {
  return text
    .split('\n')
    .map((value, i) => ({ line: i + 1, value: value.trim() }))
    .filter(({ value }) => value !== '' && !value.startsWith('#'));
}

function parseJsonLine(value: string, file: string, line: number): unknown {
  try {
    return JSON.parse(value);
  } catch (error) {
    throw new Error(`${file}:${line}: not JSON: ${(error as Error).message}`);
  }
}

function describe(issues: { path: (string | number)[]; message: string }[]): string {
  return issuesFromZod(issues)
    .map((i) => `${i.path || '(root)'}: ${i.message}`)
    .join('; ');
}
