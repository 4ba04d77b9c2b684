import { isIsoDuration, durationToMillis } from '@nudge/timing';
import { z } from 'zod';

/** The messengers a subscribe widget can offer, in the order its page shows them. */
export const WIDGET_MESSENGERS = ['telegram', 'viber', 'whatsapp', 'messenger'] as const;
export type WidgetMessenger = (typeof WIDGET_MESSENGERS)[number];

/** A widget id: the path segment of `/w/{widgetId}`. */
export const WIDGET_ID = /^[A-Za-z0-9_-]{1,64}$/;

/** Longest a widget's links stay valid: a visitor who opened the page a month ago opens it again. */
const MAX_TOKEN_TTL_MS = 30 * 86_400_000;

const printable = (max: number) =>
  z
    .string()
    .trim()
    .min(1, 'must not be empty')
    .max(max)
    .refine((value) => !/[\u0000-\u001f\u007f]/.test(value), 'must not contain control characters');

/**
 * One subscribe widget (issue #12 item 7): the page `/w/{widgetId}` shows a title, a text and one
 * "Get updates on …" button per messenger configured here, each a deep link carrying a code
 * that binds the chat to the visitor. Handles and numbers are checked as the messengers allow
 * them, so a link can never be made into another URL.
 */
export const widgetSchema = z
  .object({
    title: printable(120).default('Get our updates in your messenger'),
    text: printable(1_000).optional(),
    /** The version of the consent text the page shows, kept with each consent the widget records. */
    textVersion: z
      .string()
      .regex(/^[A-Za-z0-9._:-]{1,48}$/, 'must be 1-48 letters, digits, dot, colon, dash or underscore')
      .optional(),
    /** How long the links of one opened page can bind a chat (ISO-8601, at most P30D). */
    tokenTtl: z
      .string()
      .refine(
        (v) => isIsoDuration(v) && durationToMillis(v) > 0 && durationToMillis(v) <= MAX_TOKEN_TTL_MS,
        'must be an ISO-8601 duration from PT1M to P30D',
      )
      .default('P1D'),
    /** Origins allowed to embed the page in a frame (`https://shop.example`); absent: any site may. */
    frameAncestors: z
      .array(z.string().regex(/^https?:\/\/[A-Za-z0-9.-]+(:\d{1,5})?$/, 'must be an origin such as https://shop.example'))
      .min(1)
      .max(20)
      .optional(),
    /** `t.me/<bot>?start=<code>`: the bot's username, without @. */
    telegram: z
      .object({ bot: z.string().regex(/^[A-Za-z][A-Za-z0-9_]{3,31}$/, 'must be a Telegram bot username such as acme_bot') })
      .strict()
      .optional(),
    /** `viber://pa?chatURI=<uri>&context=<code>`: the bot's chat URI. */
    viber: z
      .object({ uri: z.string().regex(/^[A-Za-z0-9._-]{1,64}$/, 'must be a Viber chat URI such as acme') })
      .strict()
      .optional(),
    /** `wa.me/<number>?text=<message> <code>`: the business number in international form, and the prefilled message. */
    whatsapp: z
      .object({
        number: z.string().regex(/^\+?[1-9]\d{6,14}$/, 'must be a phone number in international form such as +34600000000'),
        message: printable(200).default('Please send me updates. My code:'),
      })
      .strict()
      .optional(),
    /** `m.me/<page>?ref=<code>`: the Facebook page's username or id. */
    messenger: z
      .object({ page: z.string().regex(/^[A-Za-z0-9.]{1,100}$/, 'must be a Facebook page username or id such as acmeshop') })
      .strict()
      .optional(),
  })
  .strict()
  .refine((widget) => WIDGET_MESSENGERS.some((messenger) => widget[messenger] !== undefined), {
    message: `must offer at least one of ${WIDGET_MESSENGERS.join(', ')}`,
  });

/** Subscribe widgets by id (`widgets:` in settings). */
export const widgetsSchema = z.record(
  z.string().regex(WIDGET_ID, 'must be a widget id of 1-64 letters, digits, dash or underscore'),
  widgetSchema,
);

export type WidgetSettings = z.infer<typeof widgetSchema>;
export type WidgetsSettings = z.infer<typeof widgetsSchema>;
