import {
  campaignIdSchema,
  conditionTreeSchema,
  frequencyCapSchema,
  instantSchema,
  messageSchema,
  readableCampaignIssues,
  timeWindowSchema,
  type ConditionTree,
} from '@nudge/campaigns';
import { CATEGORIES, ValidationError } from '@nudge/contracts';
import { z } from 'zod';

type Path = (string | number)[];

/**
 * Who a broadcast goes to: the users subscribed to `topic` (`preferences.topics.<topic>: true`),
 * those whose profile meets `conditions`, or — both given — those who are both.
 */
const audienceSchema = z
  .object({
    topic: z.string().min(1, 'must not be empty').max(128, 'must be at most 128 characters').optional(),
    conditions: conditionTreeSchema.optional(),
  })
  .strict()
  .superRefine((audience, ctx) => {
    if (audience.topic === undefined && audience.conditions === undefined) {
      ctx.addIssue({ code: 'custom', message: 'must name a topic, conditions on the profile, or both' });
    }
    for (const path of nonProfileFacts(audience.conditions)) {
      ctx.addIssue({ code: 'custom', path: ['conditions', ...path], message: 'must be "profile": a broadcast has no trigger event' });
    }
  });

/** `POST /v1/broadcasts`: the campaign's own field schemas, so a message or window means the same in both. */
export const broadcastRequestSchema = z
  .object({
    /** The client's idempotency key; generated when absent. */
    id: campaignIdSchema.optional(),
    name: z.string().min(1, 'must not be empty').max(200, 'must be at most 200 characters'),
    category: z.enum(CATEGORIES).default('marketing'),
    audience: audienceSchema,
    /** When to start; absent or past: at once. */
    sendAt: instantSchema.optional(),
    timeWindow: timeWindowSchema.optional(),
    frequencyCaps: z.array(frequencyCapSchema).optional(),
    message: messageSchema,
  })
  .strict();

export type BroadcastRequest = z.output<typeof broadcastRequestSchema>;

/** A validated broadcast request with its id: what the `broadcasts` table keeps. */
export type BroadcastDocument = BroadcastRequest & { id: string };

/** Validates a `POST /v1/broadcasts` body; throws a ValidationError naming every bad field. */
export function parseBroadcastRequest(body: unknown): BroadcastRequest {
  const parsed = broadcastRequestSchema.safeParse(body);
  if (parsed.success) return parsed.data;
  const details = readableCampaignIssues(parsed.error.issues);
  throw new ValidationError(`invalid broadcast: ${details.map((d) => `${d.path || '(body)'}: ${d.message}`).join('; ')}`, details);
}

/**
 * `POST /v1/broadcasts/audience`: a broadcast request of which only `audience` is needed (the
 * compose form's body as it is, or just the audience); `message.channel` and `category` say
 * who could be reached.
 */
export const audienceEstimateRequestSchema = broadcastRequestSchema.partial({ name: true, message: true });

export type AudienceEstimateRequest = z.output<typeof audienceEstimateRequestSchema>;

/** Validates a `POST /v1/broadcasts/audience` body; throws a ValidationError naming every bad field. */
export function parseAudienceEstimateRequest(body: unknown): AudienceEstimateRequest {
  const parsed = audienceEstimateRequestSchema.safeParse(body);
  if (parsed.success) return parsed.data;
  const details = readableCampaignIssues(parsed.error.issues);
  throw new ValidationError(`invalid audience request: ${details.map((d) => `${d.path || '(body)'}: ${d.message}`).join('; ')}`, details);
}

/** Paths of the tests in a condition tree that look at anything but the profile. */
function nonProfileFacts(tree: ConditionTree | undefined, at: Path = []): Path[] {
  if (tree === undefined) return [];
  if ('all' in tree) return tree.all.flatMap((child, index) => nonProfileFacts(child, [...at, 'all', index]));
  if ('any' in tree) return tree.any.flatMap((child, index) => nonProfileFacts(child, [...at, 'any', index]));
  if ('not' in tree) return nonProfileFacts(tree.not, [...at, 'not']);
  const paths: Path[] = tree.fact === 'profile' ? [] : [[...at, 'fact']];
  const value = tree.value as { fact?: unknown } | null;
  if (typeof value === 'object' && value !== null && 'fact' in value && value.fact !== 'profile') paths.push([...at, 'value', 'fact']);
  return paths;
}
