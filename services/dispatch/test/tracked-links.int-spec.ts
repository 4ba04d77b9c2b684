import { DATA_SOURCE } from '@nudge/service-runtime';
import type { DataSource } from 'typeorm';
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

const PUBLIC_URL = 'https://nudge.example';

describe('tracked links', () => {
  let dispatch: DispatchHarness;

  beforeAll(async () => {
    dispatch = await startDispatch('dispatch-links', { PUBLIC_URL, NUDGE_API_KEY: 'links-test-key' });
  });

  afterAll(() => dispatch?.stop());

  const clicksOf = async (code: string) => {
    const rows: { clicks: number }[] = await dispatch.stack
      .app('dispatch')
      .get<symbol, DataSource>(DATA_SOURCE)
      .query('SELECT clicks FROM tracked_links WHERE code = $1', [code]);
    return rows[0]?.clicks;
  };
  const follow = (code: string) => dispatch.stack.client('dispatch', '').get(`/c/${code}`);

  it('a tracked link in an SMS redirects with UTM parameters; the first click makes the message clicked, later ones only count', async () => {
    const body = "Your cart: {{ 'https://shop.example/cart?id=9#items' | track }}";
    await publishSendRequests(dispatch, aSendRequest({ userId: 'ana', triggerEventId: 'e-ana', body }));
    const message = await messageReaching(dispatch, 'ana', 'e-ana', 'delivered');
    const code = new RegExp(`^Your cart: ${PUBLIC_URL}/c/([A-Za-z0-9_-]{10})$`).exec(message.body ?? '')?.[1];
    expect(code).toBeDefined();

    const first = await follow(code!);
    expect(first.status).toBe(302);
    expect(first.headers.get('location')).toBe(
      'https://shop.example/cart?id=9&utm_source=nudge&utm_medium=sms&utm_campaign=cart-abandon-sms#items',
    );
    const clicked = await messageReaching(dispatch, 'ana', 'e-ana', 'clicked');
    expect(clicked.statusHistory.map((s) => s.status)).toEqual(['queued', 'sent', 'delivered', 'clicked']);
    await messageEvents(dispatch, hasEvent('message_clicked', message.id));

    const second = await follow(code!);
    expect(second.status).toBe(302);
    expect(await clicksOf(code!)).toBe(2);
    expect((await dispatch.stack.client('dispatch').get(`/v1/messages/${message.id}`)).body.statusHistory).toEqual(clicked.statusHistory);
  });

  it('a replayed send request creates no new link', async () => {
    const request = aSendRequest({ userId: 'bea', triggerEventId: 'e-bea', body: "{{ 'https://shop.example/a' | track }}" });
    await publishSendRequests(dispatch, request);
    const message = await messageReaching(dispatch, 'bea', 'e-bea', 'delivered');
    await publishSendRequests(dispatch, request, aSendRequest({ userId: 'bea', triggerEventId: 'e-bea-marker' }));
    await messageReaching(dispatch, 'bea', 'e-bea-marker', 'delivered');

    expect(await messagesOf(dispatch, 'bea')).toHaveLength(2);
    const links: { message_id: string }[] = await dispatch.stack
      .app('dispatch')
      .get<symbol, DataSource>(DATA_SOURCE)
      .query(`SELECT message_id FROM tracked_links WHERE target LIKE 'https://shop.example/a?%'`);
    expect(links).toEqual([{ message_id: message.id }]);
  });

  it('an unknown code answers 404 with a small page', async () => {
    for (const code of ['AAAAAAAAAA', 'not-a-code']) {
      const response = await follow(code);
      expect(response.status).toBe(404);
      expect(response.headers.get('content-type')).toMatch(/^text\/html/);
      expect(response.body).toMatch(/Link not found/);
    }
  });
});
