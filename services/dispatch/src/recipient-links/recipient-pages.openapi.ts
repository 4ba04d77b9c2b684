import type { ApiOperation } from '@nudge/service-runtime';
import { z } from 'zod';

const html = { contentType: 'text/html', description: "A page in the recipient's language." };
const token = z.object({ token: z.string().describe('The signed token of the link the recipient was sent: it is the credential.') });
const refusals = {
  400: { description: 'A page saying the link is not valid (tampered with, or for another purpose).', content: html },
  410: { description: 'A page saying the link has expired.', content: html },
  503: { description: 'A page saying to try again later (Retry-After: 60).', content: html },
};

const page = (path: string, tag: string, summary: string, post?: { summary: string; description: string }): ApiOperation[] => [
  {
    method: 'get',
    path,
    tag,
    summary,
    request: { params: token },
    responses: { 200: { description: 'The page.', content: html }, ...refusals },
  },
  ...(post
    ? [
        {
          method: 'post' as const,
          path,
          tag,
          summary: post.summary,
          description: post.description,
          request: { params: token },
          responses: { 200: { description: 'The page saying it is done.', content: html }, ...refusals },
        },
      ]
    : []),
];

/** Recipient pages (HTML, public: the signed token in the URL is the credential) and tracked links. */
export const RECIPIENT_PAGE_OPERATIONS: ApiOperation[] = [
  ...page('/u/{token}', 'Recipient pages', 'Unsubscribe: the confirmation page', {
    summary: "Unsubscribe (the page's button, or RFC 8058 one-click: `List-Unsubscribe=One-Click`)",
    description: 'Form-encoded; marketing consent on the channel becomes false, with the request as proof.',
  }),
  ...page('/p/{token}', 'Recipient pages', "Preference centre: the user's topics and weekly maximum", {
    summary: 'Save the preference centre form',
    description:
      "The page's form (`application/x-www-form-urlencoded`, `form=preferences`): topics, weekly maximum or no marketing at all.",
  }),
  ...page('/o/{token}', 'Recipient pages', 'Double opt-in: the confirmation page', {
    summary: 'Confirm a pending marketing consent (double opt-in)',
    description: 'Marketing consent on the channel becomes true, with the request as proof.',
  }),
  {
    method: 'get',
    path: '/w/{widgetId}',
    tag: 'Subscribe widgets',
    summary: 'A subscribe widget page (Telegram, Messenger, Viber, web push…)',
    request: { params: z.object({ widgetId: z.string() }), query: z.object({ user: z.string().optional(), token: z.string().optional() }) },
    responses: { 200: { description: 'The widget page.', content: html }, 404: { description: 'No such widget.', content: html } },
  },
  {
    method: 'get',
    path: '/w/{widgetId}/embed.js',
    tag: 'Subscribe widgets',
    summary: "The widget's embed script",
    request: { params: z.object({ widgetId: z.string() }) },
    responses: {
      200: { description: 'The script.', content: { contentType: 'application/javascript', description: 'JavaScript.' } },
      404: { description: 'No such widget.', content: html },
    },
  },
  {
    method: 'get',
    path: '/c/{code}',
    tag: 'Tracked links',
    summary: 'Follow a tracked link (recorded as message_clicked)',
    request: { params: z.object({ code: z.string() }) },
    responses: {
      302: { description: "Redirect to the link's target.", headers: { Location: 'The target URL.' } },
      404: { description: 'No such link.', content: html },
    },
  },
];
