import { type BeforeApplicationShutdown, Injectable } from '@nestjs/common';
import type { InboxItemView } from './inbox-item';
import { NewInboxItems } from './new-inbox-items';

/** A comment line every so often keeps proxies and load balancers from closing an idle stream. */
export const HEARTBEAT_MS = 15_000;

/** The part of an HTTP response a server-sent-events stream writes to (express's Response has it). */
export interface EventStreamResponse {
  writeHead(status: number, headers: Record<string, string>): unknown;
  write(chunk: string): boolean;
  end(): unknown;
  on(event: 'close', listener: () => void): unknown;
}

/**
 * The open `GET /v1/users/{userId}/inbox/stream` connections: server-sent events, one
 * `event: message` (data: the item as JSON) per item filed for the user, and a comment
 * every HEARTBEAT_MS. A client that disconnects stops listening at once; at shutdown every
 * stream is ended, so the HTTP server can close.
 */
@Injectable()
export class InboxStreams implements BeforeApplicationShutdown {
  /** Each open stream's response, with what stops its listening and heartbeat. */
  private readonly open = new Map<EventStreamResponse, () => void>();

  constructor(private readonly newItems: NewInboxItems) {}

  /** Streams `userId`'s new items to `response` until the client goes away. */
  stream(userId: string, response: EventStreamResponse): void {
    response.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-cache, no-transform',
      connection: 'keep-alive',
      // nginx buffers responses unless told not to.
      'x-accel-buffering': 'no',
    });
    const stopListening = this.newItems.subscribe(userId, (item) => response.write(messageEvent(item)));
    const heartbeat = setInterval(() => response.write(': heartbeat\n\n'), HEARTBEAT_MS);
    const close = () => {
      clearInterval(heartbeat);
      stopListening();
      this.open.delete(response);
    };
    this.open.set(response, close);
    response.on('close', close);
    response.write(': connected\n\n');
  }

  beforeApplicationShutdown(): void {
    for (const [response, close] of [...this.open]) {
      close();
      response.end();
    }
  }
}

/** One item as a server-sent event; its id lets a client drop an item it already has. */
export function messageEvent(item: InboxItemView): string {
  return `id: ${item.messageId}\nevent: message\ndata: ${JSON.stringify(item)}\n\n`;
}
