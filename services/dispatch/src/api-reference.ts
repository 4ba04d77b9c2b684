import type { ApiReference } from '@nudge/service-runtime';
import { SUPPRESSIONS_OPERATIONS } from './inbound/suppressions.openapi';
import { INBOX_OPERATIONS } from './inbox/inbox.openapi';
import { MESSAGES_OPERATIONS } from './messages/messages.openapi';
import { RECIPIENT_PAGE_OPERATIONS } from './recipient-links/recipient-pages.openapi';
import { WEBHOOK_OPERATIONS } from './webhooks/webhooks.openapi';

/** Dispatch's `GET /openapi.json`. */
export const DISPATCH_API: ApiReference = {
  service: 'dispatch',
  title: 'Nudge dispatch API',
  description:
    'Messages and their status, the in-app inbox, suppressions, provider webhooks and the pages recipients open (SPEC §7, §9). Errors are `{"error": {"code", "message", "details": [{"path", "message"}]}}`.',
  operations: [
    ...MESSAGES_OPERATIONS,
    ...INBOX_OPERATIONS,
    ...SUPPRESSIONS_OPERATIONS,
    ...WEBHOOK_OPERATIONS,
    ...RECIPIENT_PAGE_OPERATIONS,
  ],
};
