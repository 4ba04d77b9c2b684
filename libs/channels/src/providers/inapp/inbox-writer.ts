/** One in-app message as it goes into a user's inbox. */
export interface InboxItem {
  /** Our message id: storing the same item twice (a retried send) keeps one. */
  messageId: string;
  campaignId: string;
  title: string | null;
  body: string;
  /** When the provider stored it (the send time, from the injected clock). */
  createdAt: string;
}

/**
 * Files an in-app message into its user's inbox (the user is the message's own). Dispatch
 * gives one through the ProviderContext: the `inapp` provider has no database of its own.
 */
export type InboxWriter = (item: InboxItem) => Promise<void>;
