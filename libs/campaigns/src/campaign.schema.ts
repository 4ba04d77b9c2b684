import { CATEGORIES } from '@nudge/contracts';
import { z } from 'zod';
import {
  campaignIdSchema,
  channelChoiceSchema,
  eventNameSchema,
  instantSchema,
  isoDurationSchema,
  propertyMatchSchema,
  templateSchema,
  timeOfDaySchema,
  timeZoneSchema,
  WEEKDAYS,
} from './campaign-fields';
import { BRANCH_FACTS, conditionProblems, type ConditionTree } from './condition-tree';
import { stepGraphProblems } from './journey-graph';
import { messageOrStepsIssues } from './message-or-steps';

export const CAMPAIGN_STATUSES = ['active', 'paused', 'archived'] as const;
/** A one-message campaign with no delay sends as soon as its trigger is decided. */
export const DEFAULT_DELAY = 'PT0S';
export const STEP_TYPES = ['wait', 'message', 'branch', 'waitFor', 'exit'] as const;

export const conditionTreeSchema = z
  .unknown()
  .superRefine((tree, ctx) => {
    for (const problem of conditionProblems(tree)) ctx.addIssue({ code: 'custom', ...problem });
  })
  .transform((tree) => tree as ConditionTree);

const scheduleSchema = z
  .object({ start: instantSchema.optional(), end: instantSchema.optional() })
  .strict()
  .superRefine((schedule, ctx) => {
    if (schedule.start && schedule.end && Date.parse(schedule.start) >= Date.parse(schedule.end)) {
      ctx.addIssue({ code: 'custom', path: ['end'], message: `must be after schedule.start (${schedule.start})` });
    }
  });

const triggerSchema = z.object({ event: eventNameSchema, conditions: conditionTreeSchema.optional() }).strict();

const exceptionSchema = z.object({ event: eventNameSchema, match: propertyMatchSchema.optional() }).strict();

export const timeWindowSchema = z
  .object({
    start: timeOfDaySchema,
    end: timeOfDaySchema,
    timezone: timeZoneSchema.default('recipient'),
    outside: z.enum(['defer', 'drop']).default('defer'),
    days: z
      .array(z.enum(WEEKDAYS))
      .min(1, 'must list at least one day')
      .refine((days) => new Set(days).size === days.length, 'must not list a day twice')
      .optional(),
  })
  .strict()
  .superRefine((window, ctx) => {
    // An end before the start is a window across midnight (22:00–06:00); an equal end is no window at all.
    if (window.start === window.end) ctx.addIssue({ code: 'custom', path: ['end'], message: 'must differ from timeWindow.start' });
  });

export const frequencyCapSchema = z
  .object({
    max: z.number().int('must be a whole number').positive('must be at least 1'),
    per: isoDurationSchema({ allowZero: false }),
  })
  .strict();

export const messageSchema = z
  .object({
    channel: channelChoiceSchema,
    fallbackAfter: isoDurationSchema({ allowZero: false }).optional(),
    /** A message not sent within this of its decision (a provider outage) is `expired`, never sent late. */
    expireAfter: isoDurationSchema({ allowZero: false }).optional(),
    sender: z.string().min(1, 'must not be empty').optional(),
    subject: templateSchema.optional(),
    body: z.string().min(1, 'must not be empty').pipe(templateSchema),
  })
  .strict()
  .superRefine((message, ctx) => {
    const chainLength = Array.isArray(message.channel) ? message.channel.length : 1;
    if (message.fallbackAfter !== undefined && chainLength < 2) {
      ctx.addIssue({ code: 'custom', path: ['fallbackAfter'], message: 'needs a channel list of two or more to fall back through' });
    }
  });

const stepIdSchema = z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, 'must be 1–64 letters, digits, "-" or "_" (it becomes part of the send id)');

/** Where a step goes next: a later step's id. Absent: the step that follows in the list (or the end). */
const nextSchema = stepIdSchema.optional();

const waitStepSchema = z
  .object({
    id: stepIdSchema,
    type: z.literal('wait'),
    /** Wait this long… */
    duration: isoDurationSchema({ allowZero: false }).optional(),
    /** …or until the next time the recipient's (or `timezone`'s) wall clock reads this. */
    until: timeOfDaySchema.optional(),
    timezone: timeZoneSchema.default('recipient'),
    next: nextSchema,
  })
  .strict();

const messageStepSchema = z.object({ id: stepIdSchema, type: z.literal('message'), message: messageSchema, next: nextSchema }).strict();

const branchConditionSchema = z
  .unknown()
  .superRefine((tree, ctx) => {
    for (const problem of conditionProblems(tree, BRANCH_FACTS)) ctx.addIssue({ code: 'custom', ...problem });
  })
  .transform((tree) => tree as ConditionTree);

const branchStepSchema = z
  .object({
    id: stepIdSchema,
    type: z.literal('branch'),
    /** Tried in order; the first whose `when` holds decides the next step. */
    branches: z.array(z.object({ when: branchConditionSchema, next: stepIdSchema }).strict()).min(1, 'must list at least one branch'),
    /** Where to go when no branch holds; absent: the step that follows in the list. */
    default: nextSchema,
  })
  .strict();

const waitForStepSchema = z
  .object({
    id: stepIdSchema,
    type: z.literal('waitFor'),
    event: eventNameSchema,
    /** Event property → trigger property, as in `exceptions` (`{ cartId: cartId }`). */
    match: propertyMatchSchema.optional(),
    timeout: isoDurationSchema({ allowZero: false }),
    /** Where to go when the event arrives in time. */
    next: nextSchema,
    /** Where to go when it does not. */
    onTimeout: nextSchema,
  })
  .strict();

const exitStepSchema = z.object({ id: stepIdSchema, type: z.literal('exit') }).strict();

const stepSchema = z.discriminatedUnion('type', [waitStepSchema, messageStepSchema, branchStepSchema, waitForStepSchema, exitStepSchema], {
  errorMap: (issue, ctx) =>
    issue.code === 'invalid_union_discriminator' ? { message: `must be one of ${STEP_TYPES.join(', ')}` } : { message: ctx.defaultError },
});

const stepsSchema = z
  .array(stepSchema)
  .min(1, 'must list at least one step')
  .superRefine((steps, ctx) => {
    for (const problem of stepGraphProblems(steps)) ctx.addIssue({ code: 'custom', ...problem });
    steps.forEach((step, index) => {
      // Checked here: a discriminated union takes plain objects only.
      if (step.type === 'wait' && (step.duration === undefined) === (step.until === undefined)) {
        ctx.addIssue({
          code: 'custom',
          path: [index, 'duration'],
          message: 'a wait step needs exactly one of duration (PT1H) or until ("10:00")',
        });
      }
    });
  });

const conversionSchema = z
  .object({ event: eventNameSchema, within: isoDurationSchema({ allowZero: false }), match: propertyMatchSchema.optional() })
  .strict();

/** A campaign document (SPEC §5), as a YAML/JSON file or `PUT /v1/campaigns/{id}` holds it. Defaults filled in. */
export const campaignSchema = z
  .object({
    id: campaignIdSchema,
    name: z.string().min(1, 'must not be empty').max(200, 'must be at most 200 characters'),
    category: z.enum(CATEGORIES).default('marketing'),
    topic: z.string().min(1, 'must not be empty').optional(),
    status: z.enum(CAMPAIGN_STATUSES).default('active'),
    schedule: scheduleSchema.optional(),
    trigger: triggerSchema,
    delay: isoDurationSchema({ allowZero: true }).optional(),
    exceptions: z.array(exceptionSchema).optional(),
    timeWindow: timeWindowSchema.optional(),
    reEligibility: isoDurationSchema({ allowZero: false }).optional(),
    frequencyCaps: z.array(frequencyCapSchema).optional(),
    message: messageSchema.optional(),
    steps: stepsSchema.optional(),
    conversion: conversionSchema.optional(),
    /** How many runs of this journey one user may be in at once (a new trigger meanwhile is not_eligible). */
    concurrentRuns: z.number().int('must be a whole number').min(1, 'must be at least 1').optional(),
    holdout: z.number().min(0, 'must be a percentage from 0 to 100').max(100, 'must be a percentage from 0 to 100').optional(),
  })
  .strict()
  .superRefine((document, ctx) => {
    for (const issue of messageOrStepsIssues(document)) ctx.addIssue({ code: 'custom', path: [issue.path], message: issue.message });
  })
  // The default delay is filled in after the check above, which must see whether a journey was given one.
  .transform((document) => (document.steps ? document : { ...document, delay: document.delay ?? DEFAULT_DELAY }));

export type CampaignInput = z.input<typeof campaignSchema>;
export type CampaignDocument = z.output<typeof campaignSchema>;
export type CampaignMessage = NonNullable<CampaignDocument['message']>;
export type CampaignStep = NonNullable<CampaignDocument['steps']>[number];
export type CampaignStatus = (typeof CAMPAIGN_STATUSES)[number];
