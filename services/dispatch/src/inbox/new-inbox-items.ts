import { Injectable } from '@nestjs/common';
import type { InboxItemView } from './inbox-item';

export type InboxItemListener = (item: InboxItemView) => void;

/**
 * Tells the inbox streams open in this process about items just filed for their user.
 * In-process only: with several dispatch instances, a stream hears only of items its own
 * instance's senders filed (cross-instance fan-out, e.g. over Kafka or Postgres NOTIFY, is
 * out of scope); an app catches up with `GET /v1/users/{userId}/inbox` when it (re)connects.
 */
@Injectable()
export class NewInboxItems {
  private readonly listeners = new Map<string, Set<InboxItemListener>>();

  /** Listens for `userId`'s new items; answers the function that stops listening. */
  subscribe(userId: string, listener: InboxItemListener): () => void {
    const ofUser = this.listeners.get(userId) ?? new Set<InboxItemListener>();
    ofUser.add(listener);
    this.listeners.set(userId, ofUser);
    return () => {
      ofUser.delete(listener);
      if (ofUser.size === 0 && this.listeners.get(userId) === ofUser) this.listeners.delete(userId);
    };
  }

  announce(userId: string, item: InboxItemView): void {
    for (const listener of this.listeners.get(userId) ?? []) listener(item);
  }

  /** How many streams listen for `userId` (for tests and diagnostics). */
  listenerCount(userId: string): number {
    return this.listeners.get(userId)?.size ?? 0;
  }
}
