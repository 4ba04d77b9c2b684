import { DLQ_HEADERS } from '@nudge/contracts';
import { DATA_SOURCE } from '@nudge/service-runtime';
import type { DataSource } from 'typeorm';
import { eventually, readTopic } from '@nudge/testing';
import {
  aSendRequest,
  hasEvent,
  messageEvents,
  messageReaching,
  messagesOf,
  publishSendRequests,
  startDispatch,
  type DispatchHarness,
} from './support/dispatch-stack';

describe('dispatch: send requests become messages', () => {
  let dispatch: DispatchHarness;

  beforeAll(async () => {
    dispatch = await startDispatch('dispatch', { DISPATCH_RETRY_BASE_MS: '50', DISPATCH_RETRY_MAX_MS: '200', DISPATCH_MAX_ATTEMPTS: '3' });
  });

  afterAll(() => dispatch?.stop());

  it("opens its connections with the settings the send claim's plan needs", async () => {
    const dataSource = dispatch.stack.app('dispatch').get<symbol, DataSource>(DATA_SOURCE);
    const [{ enable_bitmapscan }] = await dataSource.query('SHOW enable_bitmapscan');
    expect(enable_bitmapscan).toBe('off');
  });

  it('a send request becomes a delivered sandbox message with the personalised body, and message_sent + message_delivered events', async () => {
    const request = aSendRequest({ userId: 'ana', triggerEventId: 'e-ana-1' });
    await publishSendRequests(dispatch, request);

    const message = await messageReaching(dispatch, 'ana', 'e-ana-1', 'delivered');
    expect(message).toMatchObject({
      sendId: request.sendId,
      campaignId: 'cart-abandon-sms',
      userId: 'ana',
      channel: 'sms',
      provider: 'sandbox',
      to: '+34600000001',
      body: 'Hi Ana, your cart of 129.9 € is waiting',
      segments: 1,
      failureReason: null,
    });
    expect(message.statusHistory.map((s) => s.status)).toEqual(['queued', 'sent', 'delivered']);

    const events = await messageEvents(
      dispatch,
      (all) => hasEvent('message_sent', message.id)(all) && hasEvent('message_delivered', message.id)(all),
    );
    const delivered = events.find((e) => e.value.name === 'message_delivered' && e.value.properties.messageId === message.id);
    expect(delivered).toMatchObject({
      key: 'ana',
      value: {
        eventId: `${message.id}:delivered`,
        userId: 'ana',
        properties: { messageId: message.id, campaignId: 'cart-abandon-sms', channel: 'sms', sendId: request.sendId, stepId: 'main' },
        context: { source: 'dispatch' },
      },
    });
    const deliveries = await readTopic(dispatch.stack.brokers, dispatch.stack.topics.deliveries, {
      until: (all) => all.filter((d) => d.value.messageId === message.id).length >= 2,
    });
    expect(deliveries.filter((d) => d.value.messageId === message.id).map((d) => d.value.status)).toEqual(['sent', 'delivered']);

    expect((await dispatch.stack.client('dispatch').get(`/v1/messages/${message.id}`)).body).toEqual(message);
    const metrics = await dispatch.stack.client('dispatch').get<string>('/metrics');
    expect(metrics.body).toMatch(/nudge_dispatch_sends_total\{[^}]*channel="sms",provider="sandbox",status="delivered"[^}]*\} [1-9]/);
  });

  it('a replayed send request yields one message and one message_sent event', async () => {
    const request = aSendRequest({ userId: 'bea', triggerEventId: 'e-bea-1' });
    await publishSendRequests(dispatch, request, request);
    const message = await messageReaching(dispatch, 'bea', 'e-bea-1', 'delivered');

    // Replayed after delivery, then a marker on the same partition (same user): once the
    // marker is delivered, the replay before it has been consumed.
    await publishSendRequests(dispatch, request, aSendRequest({ userId: 'bea', triggerEventId: 'e-bea-marker' }));
    const marker = await messageReaching(dispatch, 'bea', 'e-bea-marker', 'delivered');

    const messages = await messagesOf(dispatch, 'bea');
    expect(messages.filter((m) => m.sendId === request.sendId)).toEqual([message]);
    const events = await messageEvents(dispatch, hasEvent('message_delivered', marker.id));
    const sentForRequest = events.filter((e) => e.value.name === 'message_sent' && e.value.properties.sendId === request.sendId);
    expect(sentForRequest).toHaveLength(1);
  });

  it('dead-letters a non-JSON and a schema-invalid record with the error, and still sends the next good one', async () => {
    const dlq = dispatch.stack.topics.dlq(dispatch.stack.topics.dispatch);
    await dispatch.rules.publishRaw(dispatch.stack.topics.dispatch, [{ key: 'carla', value: Buffer.from('{not json'), headers: {} }]);
    await dispatch.rules.publish(dispatch.stack.topics.dispatch, [
      { key: 'carla', value: { sendId: 'snd_bad', userId: 'carla', channel: 'pigeon' } },
    ]);
    await publishSendRequests(dispatch, aSendRequest({ userId: 'carla', triggerEventId: 'e-carla-1' }));

    await messageReaching(dispatch, 'carla', 'e-carla-1', 'delivered');
    const letters = await readTopic(dispatch.stack.brokers, dlq, { until: (all) => all.length >= 2 });
    expect(letters).toHaveLength(2);
    const [notJson, invalid] = letters;
    expect(notJson?.headers[DLQ_HEADERS.error]).toMatch(/^not JSON/);
    expect(invalid?.headers[DLQ_HEADERS.error]).toMatch(/schema violation: .*campaignId/);
    expect(invalid?.headers[DLQ_HEADERS.error]).toMatch(/channel/);
    expect(notJson?.key).toBe('carla');
  });

  it('a transient provider failure is retried on the same message until it is delivered', async () => {
    await publishSendRequests(dispatch, aSendRequest({ userId: 'hugo', triggerEventId: 'e-hugo-1', to: '+34600000011#retry-2' }));

    const message = await messageReaching(dispatch, 'hugo', 'e-hugo-1', 'delivered');
    expect(message.statusHistory.map((s) => s.status)).toEqual(['queued', 'sent', 'delivered']);
    expect(await messagesOf(dispatch, 'hugo')).toHaveLength(1);
  });

  it('a provider that keeps failing transiently fails the message after the last attempt', async () => {
    await publishSendRequests(dispatch, aSendRequest({ userId: 'ines', triggerEventId: 'e-ines-1', to: '+34600000012#retry-9' }));

    const message = await messageReaching(dispatch, 'ines', 'e-ines-1', 'failed');
    expect(message.failureReason).toMatch(/^gave up after 3 attempts: sandbox is busy/);
    expect(message.statusHistory.map((s) => s.status)).toEqual(['queued', 'failed']);
    await messageEvents(dispatch, hasEvent('message_failed', message.id));
  });

  it('a permanent provider rejection fails the message at once with the reason', async () => {
    await publishSendRequests(dispatch, aSendRequest({ userId: 'juan', triggerEventId: 'e-juan-1', to: '+34600000013#fail' }));

    const message = await messageReaching(dispatch, 'juan', 'e-juan-1', 'failed');
    expect(message.failureReason).toBe('sandbox rejects +34600000013#fail');
  });

  it('a template error stores the message as failed with the reason and publishes message_failed', async () => {
    await publishSendRequests(
      dispatch,
      aSendRequest({ userId: 'dora', triggerEventId: 'e-dora-1', body: 'Hi {{ profile.attributes.firstName | no_such_filter }}' }),
    );

    const message = await messageReaching(dispatch, 'dora', 'e-dora-1', 'failed');
    expect(message.failureReason).toMatch(/^template error: .*no_such_filter/);
    expect(message.statusHistory.map((s) => s.status)).toEqual(['failed']);
    const events = await messageEvents(dispatch, hasEvent('message_failed', message.id));
    const failed = events.find((e) => e.value.name === 'message_failed' && e.value.properties.messageId === message.id);
    expect(failed?.value.properties.reason).toBe(message.failureReason);
  });
});

describe('dispatch: sandbox callbacks and the messages API', () => {
  let dispatch: DispatchHarness;

  beforeAll(async () => {
    dispatch = await startDispatch('dispatch-api');
  });

  afterAll(() => dispatch?.stop());

  it('a read message stays read when a late delivered arrives, and message_read is published', async () => {
    await publishSendRequests(dispatch, aSendRequest({ userId: 'eva', triggerEventId: 'e-eva-1' }));
    const message = await messageReaching(dispatch, 'eva', 'e-eva-1', 'delivered');
    const api = dispatch.stack.client('dispatch');

    const read = await api.post('/v1/providers/sandbox/status', { messageId: message.id, status: 'read' });
    expect(read).toMatchObject({ status: 200, body: { id: message.id, status: 'read' } });
    const lateDelivered = await api.post('/v1/providers/sandbox/status', { messageId: message.id, status: 'delivered' });
    expect(lateDelivered).toMatchObject({ status: 200, body: { status: 'read' } });

    const stored = (await api.get(`/v1/messages/${message.id}`)).body;
    expect(stored.status).toBe('read');
    expect(stored.statusHistory.map((s: { status: string }) => s.status)).toEqual(['queued', 'sent', 'delivered', 'read']);
    await messageEvents(dispatch, hasEvent('message_read', message.id));
  });

  it('a reply on the channel marks the message replied', async () => {
    await publishSendRequests(dispatch, aSendRequest({ userId: 'flor', triggerEventId: 'e-flor-1', to: '+34600000077' }));
    const message = await messageReaching(dispatch, 'flor', 'e-flor-1', 'delivered');

    const reply = await dispatch.stack
      .client('dispatch')
      .post('/v1/providers/sandbox/inbound', { channel: 'sms', from: '+34600000077', text: 'thanks!' });
    expect(reply).toMatchObject({ status: 200, body: { repliedTo: { id: message.id, status: 'replied' } } });
    await messageEvents(dispatch, hasEvent('message_replied', message.id));
  });

  it('a status report names a bad field and answers 404 for an unknown message', async () => {
    const api = dispatch.stack.client('dispatch');
    const badStatus = await api.post('/v1/providers/sandbox/status', { messageId: 'x', status: 'lost' });
    expect(badStatus.status).toBe(400);
    expect(badStatus.body.error.details.map((d: { path: string }) => d.path)).toEqual(['status']);
    const unknown = await api.post('/v1/providers/sandbox/status', { messageId: '00000000-0000-4000-8000-000000000000', status: 'read' });
    expect(unknown.status).toBe(404);
  });

  it('GET /v1/messages without userId or campaignId answers 400 naming userId', async () => {
    const response = await dispatch.stack.client('dispatch').get('/v1/messages');
    expect(response.status).toBe(400);
    expect(response.body.error.code).toBe('validation_failed');
    expect(response.body.error.details).toContainEqual({ path: 'userId', message: 'userId or campaignId is required' });
  });

  it('GET /v1/messages/{id} answers 404 for an unknown message', async () => {
    expect((await dispatch.stack.client('dispatch').get('/v1/messages/not-a-message')).status).toBe(404);
  });

  it('lists a campaign newest first, limited', async () => {
    await publishSendRequests(
      dispatch,
      aSendRequest({ userId: 'gil', triggerEventId: 'e-gil-1' }),
      aSendRequest({ userId: 'gil', triggerEventId: 'e-gil-2' }),
    );
    await messageReaching(dispatch, 'gil', 'e-gil-2', 'delivered');
    const { body } = await dispatch.stack.client('dispatch').get('/v1/messages?campaignId=cart-abandon-sms&limit=1');
    expect(body.items).toHaveLength(1);
    await eventually(async () => {
      const { body: all } = await dispatch.stack.client('dispatch').get('/v1/messages?campaignId=cart-abandon-sms');
      const times = all.items.map((m: { createdAt: string }) => m.createdAt);
      return times.length >= 2 && [...times].sort().reverse().join() === times.join() ? true : undefined;
    });
  });
});
