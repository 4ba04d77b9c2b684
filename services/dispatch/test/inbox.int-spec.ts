import type { SendRequest } from '@nudge/contracts';
import { eventually, readTopic } from '@nudge/testing';
import { NewInboxItems } from '../src/inbox/new-inbox-items';
import {
  aSendRequest,
  hasEvent,
  messageEvents,
  messageReaching,
  publishSendRequests,
  startDispatch,
  type DispatchHarness,
} from './support/dispatch-stack';

interface InboxItem {
  messageId: string;
  campaignId: string;
  title: string | null;
  body: string;
  createdAt: string;
  readAt: string | null;
  clickedAt: string | null;
}

interface ServerSentEvent {
  id?: string;
  event?: string;
  data: string;
}

/** An in-app send request, as rules publishes it for a user whose inapp address is their id. */
function anInAppRequest(userId: string, triggerEventId: string): SendRequest {
  const request = aSendRequest({ userId, triggerEventId, channel: 'inapp', to: userId });
  return { ...request, message: { body: 'Hi {{ profile.attributes.firstName }}, your cart is waiting', subject: 'Still thinking?' } };
}

/**
 * `GET /v1/users/{userId}/inbox/stream` read as a client would: the body stream parsed into
 * events. Resolves once the response has started, so the stream is listening.
 */
async function openInboxStream(harness: DispatchHarness, userId: string) {
  const disconnect = new AbortController();
  const response = await fetch(`${harness.stack.url('dispatch')}/v1/users/${encodeURIComponent(userId)}/inbox/stream`, {
    signal: disconnect.signal,
  });
  const reader = response.body!.getReader();
  const decoder = new TextDecoder();
  let buffered = '';

  /** The next `event: message`, or a failure once `timeoutMs` has passed without one. */
  async function nextMessage(timeoutMs = 20_000): Promise<ServerSentEvent> {
    const giveUp = setTimeout(() => disconnect.abort(), timeoutMs);
    try {
      for (;;) {
        const end = buffered.indexOf('\n\n');
        if (end >= 0) {
          const event = parseEvent(buffered.slice(0, end));
          buffered = buffered.slice(end + 2);
          if (event.event === 'message') return event;
          continue;
        }
        const chunk = await reader.read().catch((error: unknown) => {
          throw new Error(`no message event within ${timeoutMs} ms (${String(error)}); read so far: ${JSON.stringify(buffered)}`);
        });
        if (chunk.done) throw new Error(`the stream ended before a message event; read: ${JSON.stringify(buffered)}`);
        buffered += decoder.decode(chunk.value, { stream: true });
      }
    } finally {
      clearTimeout(giveUp);
    }
  }

  return { response, nextMessage, close: () => disconnect.abort() };
}

/** One event's lines; comments (`: heartbeat`) carry no field. */
function parseEvent(block: string): ServerSentEvent {
  const event: ServerSentEvent = { data: '' };
  for (const line of block.split('\n')) {
    const [, field, value] = /^([a-z]+): ?(.*)$/.exec(line) ?? [];
    if (field === 'id' || field === 'event') event[field] = value;
    if (field === 'data') event.data += value;
  }
  return event;
}

describe('dispatch: the in-app inbox', () => {
  let dispatch: DispatchHarness;

  beforeAll(async () => {
    dispatch = await startDispatch('dispatch-inbox');
  });

  afterAll(() => dispatch?.stop());

  it('an inapp message is delivered by the inapp provider into the inbox and streamed to the open app at once', async () => {
    const stream = await openInboxStream(dispatch, 'ana');
    try {
      expect(stream.response.status).toBe(200);
      expect(stream.response.headers.get('content-type')).toBe('text/event-stream; charset=utf-8');

      await publishSendRequests(dispatch, anInAppRequest('ana', 'e-ana-inapp-1'));

      const message = await messageReaching(dispatch, 'ana', 'e-ana-inapp-1', 'delivered');
      expect(message).toMatchObject({ channel: 'inapp', provider: 'inapp', to: 'ana', body: 'Hi Ana, your cart is waiting' });
      expect(message.statusHistory.map((s) => s.status)).toEqual(['queued', 'sent', 'delivered']);

      const expectedItem: InboxItem = {
        messageId: message.id,
        campaignId: 'cart-abandon-sms',
        title: 'Still thinking?',
        body: 'Hi Ana, your cart is waiting',
        createdAt: expect.any(String),
        readAt: null,
        clickedAt: null,
      };
      const streamed = await stream.nextMessage();
      expect(streamed.id).toBe(message.id);
      expect(JSON.parse(streamed.data)).toEqual(expectedItem);

      const inbox = await dispatch.stack.client('dispatch').get<{ items: InboxItem[] }>('/v1/users/ana/inbox');
      expect(inbox.status).toBe(200);
      expect(inbox.body.items).toEqual([JSON.parse(streamed.data)]);
    } finally {
      stream.close();
    }
  });

  it('read then clicked move the message to clicked and publish message_read and message_clicked; repeats change nothing', async () => {
    await publishSendRequests(dispatch, anInAppRequest('bea', 'e-bea-inapp-1'));
    const message = await messageReaching(dispatch, 'bea', 'e-bea-inapp-1', 'delivered');
    const api = dispatch.stack.client('dispatch');

    const read = await api.post<InboxItem>(`/v1/users/bea/inbox/${message.id}/read`);
    expect(read.status).toBe(200);
    expect(read.body).toMatchObject({ messageId: message.id, readAt: expect.any(String), clickedAt: null });
    const clicked = await api.post<InboxItem>(`/v1/users/bea/inbox/${message.id}/clicked`);
    expect(clicked.status).toBe(200);
    expect(clicked.body).toMatchObject({ readAt: read.body.readAt, clickedAt: expect.any(String) });
    const readAgain = await api.post<InboxItem>(`/v1/users/bea/inbox/${message.id}/read`);
    expect(readAgain.body).toEqual(clicked.body);

    const stored = (await api.get(`/v1/messages/${message.id}`)).body;
    expect(stored.status).toBe('clicked');
    expect(stored.statusHistory.map((s: { status: string }) => s.status)).toEqual(['queued', 'sent', 'delivered', 'read', 'clicked']);

    const events = await messageEvents(
      dispatch,
      (all) => hasEvent('message_read', message.id)(all) && hasEvent('message_clicked', message.id)(all),
    );
    const engagement = events.filter((e) => e.value.properties?.messageId === message.id).map((e) => e.value.name);
    expect(engagement).toEqual(['message_sent', 'message_delivered', 'message_read', 'message_clicked']);
    const deliveries = await readTopic(dispatch.stack.brokers, dispatch.stack.topics.deliveries, {
      until: (all) => all.some((d) => d.value.messageId === message.id && d.value.status === 'clicked'),
    });
    const updates = deliveries.filter((d) => d.value.messageId === message.id);
    expect(updates.map((d) => d.value.status)).toEqual(['sent', 'delivered', 'read', 'clicked']);
    expect(updates.every((d) => d.value.provider === 'inapp' && d.value.channel === 'inapp')).toBe(true);
  });

  it('lists newest first, limited, and ?unread=true leaves out what was read', async () => {
    await publishSendRequests(dispatch, anInAppRequest('carla', 'e-carla-inapp-1'));
    const first = await messageReaching(dispatch, 'carla', 'e-carla-inapp-1', 'delivered');
    await publishSendRequests(dispatch, anInAppRequest('carla', 'e-carla-inapp-2'));
    const second = await messageReaching(dispatch, 'carla', 'e-carla-inapp-2', 'delivered');
    const api = dispatch.stack.client('dispatch');

    const ids = async (query: string) =>
      (await api.get<{ items: InboxItem[] }>(`/v1/users/carla/inbox${query}`)).body.items.map((i) => i.messageId);
    expect(await ids('')).toEqual([second.id, first.id]);
    expect(await ids('?limit=1')).toEqual([second.id]);
    await api.post(`/v1/users/carla/inbox/${second.id}/read`);
    expect(await ids('?unread=true')).toEqual([first.id]);
    expect((await api.get('/v1/users/carla/inbox?unread=maybe')).status).toBe(400);
    expect((await api.get<{ items: InboxItem[] }>('/v1/users/nobody-yet/inbox')).body).toEqual({ items: [] });
  });

  it("answers 404 for an unknown message and for another user's message", async () => {
    await publishSendRequests(dispatch, anInAppRequest('dora', 'e-dora-inapp-1'));
    const message = await messageReaching(dispatch, 'dora', 'e-dora-inapp-1', 'delivered');
    const api = dispatch.stack.client('dispatch');

    expect((await api.post(`/v1/users/eva/inbox/${message.id}/read`)).status).toBe(404);
    expect((await api.post(`/v1/users/eva/inbox/${message.id}/clicked`)).status).toBe(404);
    expect((await api.post('/v1/users/dora/inbox/00000000-0000-4000-8000-000000000000/read')).status).toBe(404);
    expect((await api.post('/v1/users/dora/inbox/not-a-message/clicked')).status).toBe(404);
    expect((await api.get(`/v1/messages/${message.id}`)).body.status).toBe('delivered');
  });

  it('a stream whose client disconnects stops listening', async () => {
    const newItems = dispatch.stack.app('dispatch').get(NewInboxItems);
    const stream = await openInboxStream(dispatch, 'flor');
    expect(newItems.listenerCount('flor')).toBe(1);

    stream.close();

    await eventually(() => (newItems.listenerCount('flor') === 0 ? true : undefined), { what: "flor's stream to stop listening" });
  });

  it('a HEAD on the stream answers its headers at once and opens no stream', async () => {
    const newItems = dispatch.stack.app('dispatch').get(NewInboxItems);

    const head = await dispatch.stack.client('dispatch').request('HEAD', '/v1/users/hana/inbox/stream');

    expect(head.status).toBe(200);
    expect(head.headers.get('content-type')).toBe('text/event-stream; charset=utf-8');
    expect(newItems.listenerCount('hana')).toBe(0);
  });

  // Last: it stops the service.
  it('a stopping service ends the open streams instead of waiting on them', async () => {
    const stream = await openInboxStream(dispatch, 'gil');

    await dispatch.stack.stopService('dispatch');

    await expect(stream.nextMessage(10_000)).rejects.toThrow(/the stream ended before a message event/);
  });
});
