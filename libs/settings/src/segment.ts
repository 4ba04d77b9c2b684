import { channelSchema, idSchema } from '@nudge/contracts';
import { z } from 'zod';

/**
 * What one consent category of Segment's consent object (`context.consent.categoryPreferences`,
 * the names the site's consent manager uses) means in Nudge: the channels whose marketing
 * consent follows it, and the preference topics switched on or off with it.
 */
export const segmentConsentCategorySchema = z
  .object({
    channels: z.array(channelSchema).max(20).default([]),
    topics: z.array(idSchema).max(50).default([]),
  })
  .strict()
  .refine((category) => category.channels.length + category.topics.length > 0, 'must name channels, topics, or both');

/**
 * The Segment-compatible ingest (`/segment/v1/*`): `consentCategories` maps category names to
 * marketing consent and topics. A category the mapping does not name changes nothing; an
 * address learned from `identify` traits gets transactional consent only.
 */
export const segmentSettingsSchema = z
  .object({
    consentCategories: z.record(z.string().trim().min(1).max(128), segmentConsentCategorySchema).default({}),
  })
  .strict();

export type SegmentSettings = z.infer<typeof segmentSettingsSchema>;
export type SegmentConsentCategory = z.infer<typeof segmentConsentCategorySchema>;

/** Topics the mapping names that the settings' `topics` do not list, with their paths (`segment.consentCategories.Marketing.topics[0]`). */
export function segmentTopicIssues(segment: SegmentSettings, topicIds: readonly string[]): { path: string; message: string }[] {
  const known = new Set(topicIds);
  return Object.entries(segment.consentCategories).flatMap(([name, category]) =>
    category.topics.flatMap((topic, index) =>
      known.has(topic)
        ? []
        : [{ path: `segment.consentCategories.${name}.topics[${index}]`, message: `names topic ${topic}, which topics does not list` }],
    ),
  );
}
