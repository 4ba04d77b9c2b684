import { EventEmitter } from 'node:events';
import type { InboxItemView } from './inbox-item';
import { HEARTBEAT_MS, InboxStreams, messageEvent, type EventStreamResponse } from './inbox-streams';
import { NewInboxItems } from './new-inbox-items';

class FakeResponse extends EventEmitter implements EventStreamResponse {
  status: number | undefined;
  headers: Record<string, string> = {};
  written = '';
  ended = false;

  writeHead(status: number, headers: Record<string, string>): this {
    this.status = status;
    this.headers = headers;
    return this;
  }
  write(chunk: string): boolean {
    this.written += chunk;
    return true;
  }
  end(): this {
    this.ended = true;
    this.emit('close');
    return this;
  }
}

const item: InboxItemView = {
  messageId: '6f1c1c8e-58a4-4a43-a0f5-0a4f3c6b7d11',
  campaignId: 'c1',
  title: 'Still thinking?',
  body: 'Your cart is waiting',
  createdAt: '2026-11-24T10:00:00.000Z',
  readAt: null,
  clickedAt: null,
};

describe('InboxStreams', () => {
  beforeEach(() => jest.useFakeTimers());
  afterEach(() => jest.useRealTimers());

  it('opens an event stream and writes each new item of its user as a message event', () => {
    const newItems = new NewInboxItems();
    const response = new FakeResponse();
    new InboxStreams(newItems).stream('ana', response);

    newItems.announce('bea', { ...item, messageId: 'not-for-ana' });
    newItems.announce('ana', item);

    expect(response.status).toBe(200);
    expect(response.headers['content-type']).toBe('text/event-stream; charset=utf-8');
    expect(response.written).toBe(`: connected\n\n${messageEvent(item)}`);
    expect(messageEvent(item)).toBe(`id: ${item.messageId}\nevent: message\ndata: ${JSON.stringify(item)}\n\n`);
  });

  it('writes a heartbeat comment every 15 s', () => {
    const response = new FakeResponse();
    new InboxStreams(new NewInboxItems()).stream('ana', response);

    jest.advanceTimersByTime(HEARTBEAT_MS * 2);

    expect(HEARTBEAT_MS).toBe(15_000);
    expect(response.written).toBe(': connected\n\n: heartbeat\n\n: heartbeat\n\n');
  });

  it('a client that disconnects stops listening and gets no more heartbeats', () => {
    const newItems = new NewInboxItems();
    const response = new FakeResponse();
    new InboxStreams(newItems).stream('ana', response);

    response.emit('close');
    newItems.announce('ana', item);
    jest.advanceTimersByTime(HEARTBEAT_MS * 2);

    expect(newItems.listenerCount('ana')).toBe(0);
    expect(response.written).toBe(': connected\n\n');
    expect(jest.getTimerCount()).toBe(0);
  });

  it('ends every open stream at shutdown, so the HTTP server can close', () => {
    const newItems = new NewInboxItems();
    const streams = new InboxStreams(newItems);
    const [ana, bea] = [new FakeResponse(), new FakeResponse()];
    streams.stream('ana', ana);
    streams.stream('bea', bea);

    streams.beforeApplicationShutdown();

    expect([ana.ended, bea.ended]).toEqual([true, true]);
    expect(newItems.listenerCount('ana') + newItems.listenerCount('bea')).toBe(0);
    expect(jest.getTimerCount()).toBe(0);
  });
});
