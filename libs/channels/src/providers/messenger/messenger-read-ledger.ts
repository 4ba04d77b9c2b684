/**
 * Messenger reports reads by watermark ("everything sent to this user up to time T was
 * read"), not by message id, and gives no timestamp for a sent message. So the adapter
 * remembers what it sent, to whom and when (by our clock), and turns a watermark into
 * reads of those messages. The simplification: only this process's most recent sends are
 * remembered (not across restarts or replicas), and our clock stands in for Facebook's;
 * a read the ledger cannot place leaves the message `delivered`.
 */
export class MessengerReadLedger {
  private readonly sent = new Map<string, { recipient: string; sentAt: number }>();

  constructor(private readonly capacity = 10_000) {}

  /** Notes that message `mid` went to `recipient` (a page-scoped id) at `sentAt`. */
  remember(mid: string, recipient: string, sentAt: Date): void {
    this.sent.set(mid, { recipient, sentAt: sentAt.getTime() });
    if (this.sent.size > this.capacity) {
      const oldest = this.sent.keys().next().value;
      if (oldest !== undefined) this.sent.delete(oldest);
    }
  }

  /** The messages to `recipient` sent at or before `watermark` (ms), each reported once. */
  readUpTo(recipient: string, watermark: number): string[] {
    const read: string[] = [];
    for (const [mid, sent] of this.sent) {
      if (sent.recipient === recipient && sent.sentAt <= watermark) read.push(mid);
    }
    for (const mid of read) this.sent.delete(mid);
    return read;
  }
}
