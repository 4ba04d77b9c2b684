/** The API shape of one inbox item (`GET /v1/users/{userId}/inbox`, and each event of its stream). */
export interface InboxItemView {
  messageId: string;
  campaignId: string;
  title: string | null;
  body: string;
  createdAt: string;
  readAt: string | null;
  clickedAt: string | null;
}

/** An inbox item as stored (one row of `inbox_items`). */
export interface StoredInboxItem extends InboxItemView {
  userId: string;
}

export function toInboxItemView(item: StoredInboxItem): InboxItemView {
  return {
    messageId: item.messageId,
    campaignId: item.campaignId,
    title: item.title,
    body: item.body,
    createdAt: item.createdAt,
    readAt: item.readAt,
    clickedAt: item.clickedAt,
  };
}
