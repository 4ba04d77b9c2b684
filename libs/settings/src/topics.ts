import { z } from 'zod';

/** Most topics the preference centre lists (each is a checkbox on one page). */
export const MAX_TOPICS = 50;

/** A topic id: what campaigns name in `topic:` and profiles key `preferences.topics` by. */
const TOPIC_ID = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/;
/** A language tag a text is given in: `en`, `es`, `pt-BR`. */
const LANGUAGE_TAG = /^[a-z]{2,3}(?:-[A-Za-z0-9]{2,8})?$/;

/**
 * A text shown to recipients: one string for every language, or one per language tag
 * (`{ en: "Offers", es: "Ofertas" }`), the page picking the recipient's.
 */
function localisedTextSchema(max: number) {
  const text = z.string().trim().min(1, 'must not be empty').max(max, `must be at most ${max} characters`);
  return z.union([
    text,
    z
      .record(z.string().regex(LANGUAGE_TAG, 'must be a language tag such as en, es or pt-BR'), text)
      .refine((byLanguage) => Object.keys(byLanguage).length > 0, 'must give the text in at least one language'),
  ]);
}

/** One topic of the preference centre: a checkbox with its label and what it sends. */
export const topicSchema = z
  .object({
    id: z.string().regex(TOPIC_ID, 'must be 1-64 letters, digits, "_", "." or "-", such as promotions'),
    label: localisedTextSchema(120),
    description: localisedTextSchema(500).optional(),
  })
  .strict();

/**
 * The topics recipients choose from on the preference centre (issue #12 item 5); a campaign's
 * or broadcast's `topic:` names one of them. Ids are unique.
 */
export const topicsSchema = z
  .array(topicSchema)
  .max(MAX_TOPICS, `must list at most ${MAX_TOPICS} topics`)
  .superRefine((topics, context) => {
    const seen = new Set<string>();
    topics.forEach((topic, index) => {
      if (seen.has(topic.id)) context.addIssue({ code: z.ZodIssueCode.custom, path: [index, 'id'], message: `repeats topic ${topic.id}` });
      seen.add(topic.id);
    });
  });

export type TopicSettings = z.infer<typeof topicSchema>;
export type LocalisedText = TopicSettings['label'];

/**
 * The text in `language` (a tag such as `es-MX`): that exact tag, else its language (`es`),
 * else English, else the first one given.
 */
export function textIn(text: LocalisedText, language: string): string {
  if (typeof text === 'string') return text;
  const base = language.split('-')[0] ?? language;
  return text[language] ?? text[base] ?? text['en'] ?? Object.values(text)[0] ?? '';
}
