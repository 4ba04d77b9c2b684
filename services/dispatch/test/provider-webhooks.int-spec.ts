import { PROVIDER_FACTORIES, type OutboundMessage } from '@nudge/channels';
import { DATA_SOURCE } from '@nudge/service-runtime';
import type { ApiClient } from '@nudge/testing';
import type { DataSource } from 'typeorm';
import { ActiveProviders } from '../src/providers/active-providers';
import {
  aSendRequest,
  hasEvent,
  messageEvents,
  messageReaching,
  publishSendRequests,
  saveSettings,
  startDispatch,
  type DispatchHarness,
} from './support/dispatch-stack';
import { SIGNED_TEST_PROVIDER, signedTestProvider, signWebhook } from './support/signed-test-provider';

const PUBLIC_URL = 'https://nudge.example';
const SECRET = 'webhook-secret';
const API_KEY = 'dispatch-test-key';

// Provider webhooks end to end, through a provider that signs them (HMAC over URL + raw body).
describe('provider webhooks', () => {
  let dispatch: DispatchHarness;
  const outbox: OutboundMessage[] = [];
  let anonymous: ApiClient;

  beforeAll(async () => {
    dispatch = await startDispatch(
      'dispatch-webhooks',
      { PUBLIC_URL, NUDGE_API_KEY: API_KEY, NUDGE_SECRET_SIGNED_TEST: SECRET },
      { providerFactories: { ...PROVIDER_FACTORIES, [SIGNED_TEST_PROVIDER]: signedTestProvider(outbox) } },
    );
    await saveSettings(dispatch, {
      providers: { sms: { provider: SIGNED_TEST_PROVIDER, secretEnv: 'NUDGE_SECRET_SIGNED_TEST', verifyToken: 'let-me-in' } },
    });
    anonymous = dispatch.stack.client('dispatch', '');
  });

  afterAll(() => dispatch?.stop());

  /** Posts `raw` as the provider would: signed over our public URL and the exact bytes, with no API key. */
  const postSigned = (path: string, raw: string, contentType = 'application/json', signature?: string) =>
    anonymous.request(
      'POST',
      path,
      undefined,
      {
        'content-type': contentType,
        'x-test-signature': signature ?? signWebhook(SECRET, `${PUBLIC_URL}${path}`, raw),
      },
      raw,
    );

  const sentMessage = async (userId: string, to: string) => {
    await publishSendRequests(dispatch, aSendRequest({ userId, triggerEventId: `e-${userId}`, to }));
    return messageReaching(dispatch, userId, `e-${userId}`, 'sent');
  };

  it('a message goes out through the configured provider, stored under its name', async () => {
    const message = await sentMessage('ada', '+34600000401');
    expect(message.provider).toBe(SIGNED_TEST_PROVIDER);
    expect(outbox.find((m) => m.messageId === message.id)).toMatchObject({ to: '+34600000401', channel: 'sms' });
  });

  it('a signed status report moves the message on without the API key; unknown ids are counted', async () => {
    const message = await sentMessage('bob', '+34600000402');
    // Odd spacing: the signature is over these exact bytes, not a re-serialisation.
    const raw = `{ "statuses" : [ {"id":"st-${message.id}","status":"delivered"}, {"id":"st-nobody","status":"read"} ] }`;

    const response = await postSigned('/v1/providers/signed-test/status', raw);

    expect(response).toMatchObject({ status: 200, body: { statuses: { applied: 1, ignored: 0, unknown: 1 }, inbound: { received: 0 } } });
    await messageReaching(dispatch, 'bob', 'e-bob', 'delivered');
    await messageEvents(dispatch, hasEvent('message_delivered', message.id));
  });

  it('a form-encoded report works as well, and a regression is ignored', async () => {
    const message = await sentMessage('cai', '+34600000403');
    const read = await postSigned(
      '/v1/providers/signed-test/status',
      `MessageSid=st-${message.id}&MessageStatus=read`,
      'application/x-www-form-urlencoded',
    );
    expect(read.body.statuses).toEqual({ applied: 1, ignored: 0, unknown: 0 });
    const late = await postSigned(
      '/v1/providers/signed-test/status',
      `MessageSid=st-${message.id}&MessageStatus=delivered`,
      'application/x-www-form-urlencoded',
    );
    expect(late.body.statuses).toEqual({ applied: 0, ignored: 1, unknown: 0 });
    const stored = await messageReaching(dispatch, 'cai', 'e-cai', 'read');
    expect(stored.statusHistory.map((s) => s.status)).toEqual(['queued', 'sent', 'read']);
  });

  it('a bad signature answers 401 invalid_signature and processes nothing', async () => {
    const message = await sentMessage('dee', '+34600000404');
    const raw = JSON.stringify({ statuses: [{ id: `st-${message.id}`, status: 'delivered' }] });

    const forged = await postSigned(
      '/v1/providers/signed-test/status',
      raw,
      'application/json',
      signWebhook('guessed', `${PUBLIC_URL}/v1/providers/signed-test/status`, raw),
    );
    const tampered = await postSigned(
      '/v1/providers/signed-test/status',
      raw.replace('delivered', 'read'),
      'application/json',
      signWebhook(SECRET, `${PUBLIC_URL}/v1/providers/signed-test/status`, raw),
    );

    for (const response of [forged, tampered])
      expect(response).toMatchObject({ status: 401, body: { error: { code: 'invalid_signature' } } });
    expect((await dispatch.stack.client('dispatch').get(`/v1/messages/${message.id}`)).body.status).toBe('sent');
  });

  it('an inbound message through the webhook is a reply; the next message to that number carries when they wrote', async () => {
    const message = await sentMessage('eve', '+34600000405');
    const reply = await postSigned(
      '/v1/providers/signed-test/inbound',
      JSON.stringify({ inbound: [{ from: '34600000405', text: 'Hola' }] }),
    );
    expect(reply.body.inbound).toEqual({ received: 1, unsubscribed: 0 });
    await messageReaching(dispatch, 'eve', 'e-eve', 'replied');
    const events = await messageEvents(dispatch, hasEvent('message_replied', message.id));
    expect(
      events.find((e) => e.value.name === 'message_replied' && e.value.properties.messageId === message.id)?.value.properties.text,
    ).toBe('Hola');

    await publishSendRequests(dispatch, aSendRequest({ userId: 'eve', triggerEventId: 'e-eve-2', to: '+34600000405' }));
    const second = await messageReaching(dispatch, 'eve', 'e-eve-2', 'sent');
    expect(outbox.find((m) => m.messageId === second.id)?.lastInboundAt).toBeInstanceOf(Date);
    expect(outbox.find((m) => m.messageId === message.id)?.lastInboundAt).toBeUndefined();
  });

  it('a body longer than the provider takes fails at intake with the reason', async () => {
    await publishSendRequests(
      dispatch,
      aSendRequest({ userId: 'fay', triggerEventId: 'e-fay', to: '+34600000406', body: 'x'.repeat(201) }),
    );
    const message = await messageReaching(dispatch, 'fay', 'e-fay', 'failed');
    expect(message.failureReason).toBe(`the body has 201 characters; ${SIGNED_TEST_PROVIDER} takes at most 200`);
    expect(outbox.find((m) => m.messageId === message.id)).toBeUndefined();
  });

  it('an invalid phone number fails at intake with the reason', async () => {
    await publishSendRequests(dispatch, aSendRequest({ userId: 'gus', triggerEventId: 'e-gus', to: '+3460' }));
    const message = await messageReaching(dispatch, 'gus', 'e-gus', 'failed');
    expect(message.failureReason).toBe('invalid phone number "+3460": not a valid number');
    await messageEvents(dispatch, hasEvent('message_failed', message.id));
  });

  it('answers the GET handshake with the challenge, and refuses a wrong token', async () => {
    const ok = await anonymous.get('/v1/providers/signed-test/inbound?token=let-me-in&challenge=12345');
    expect(ok).toMatchObject({ status: 200, body: 12345 });
    expect(ok.headers.get('content-type')).toMatch(/^text\/plain/);
    expect((await anonymous.get('/v1/providers/signed-test/status?token=nope&challenge=1')).status).toBe(403);
  });

  it('sandbox webhooks and unknown providers still need the API key', async () => {
    expect((await anonymous.post('/v1/providers/sandbox/status', { messageId: 'x', status: 'read' })).status).toBe(401);
    expect((await anonymous.post('/v1/providers/sandbox/inbound', { channel: 'sms', from: '+34600000401', text: 'hi' })).status).toBe(401);
    expect((await anonymous.post('/v1/providers/nobody/status', {})).status).toBe(401);
    const known = await dispatch.stack.client('dispatch').post('/v1/providers/nobody/status', {});
    expect(known).toMatchObject({ status: 404, body: { error: { code: 'not_found' } } });
  });

  it('a verified body the provider cannot read answers 400 naming the body', async () => {
    const response = await postSigned('/v1/providers/signed-test/status', '{"something":"else"}');
    expect(response).toMatchObject({ status: 400, body: { error: { code: 'validation_failed', details: [{ path: '(body)' }] } } });
  });

  it('keeps the providers in force when a new settings version cannot be built', async () => {
    const app = dispatch.stack.app('dispatch');
    const providers = app.get(ActiveProviders);
    const before = providers.current().version;
    await app
      .get<symbol, DataSource>(DATA_SOURCE)
      .query(`UPDATE settings SET version = version + 1, document = $1`, [{ providers: { sms: { provider: 'pigeon' } } }]);

    await providers.refresh();

    expect(providers.current().version).toBe(before);
    expect((await sentMessage('hal', '+34600000407')).provider).toBe(SIGNED_TEST_PROVIDER);
  });
});
