import type { SendRequest } from '@nudge/contracts';
import {
  aSendRequest,
  messageReaching,
  type MessageItem,
  publishSendRequests,
  startDispatch,
  type DispatchHarness,
} from './support/dispatch-stack';

/** A send request whose body loops as many times as the trigger event says: valid as a template, a bomb for n = 10⁸. */
function aLoopOverTheEvent(userId: string, triggerEventId: string, n: number): SendRequest {
  const request = aSendRequest({ userId, triggerEventId, body: '{% for i in (1..event.properties.n) %}x{% endfor %}' });
  return { ...request, scope: { ...request.scope, event: { ...request.scope.event, properties: { n } } } };
}

describe('dispatch: a template that hits a render limit fails its own message only', () => {
  let dispatch: DispatchHarness;

  beforeAll(async () => {
    dispatch = await startDispatch('template-limits');
  });

  afterAll(() => dispatch?.stop());

  it('render bombs end failed with the limit as the reason; the message after them is sent and /health answers 200', async () => {
    await publishSendRequests(
      dispatch,
      aLoopOverTheEvent('bomb', 'e-loop', 100_000_000),
      aSendRequest({
        userId: 'bomb',
        triggerEventId: 'e-nested',
        body: '{% for a in (1..10000) %}{% for b in (1..10000) %}{% endfor %}{% endfor %}',
      }),
      aSendRequest({
        userId: 'bomb',
        triggerEventId: 'e-append',
        body: '{% assign s = "xx" %}{% for i in (1..64) %}{% assign s = s | append: s %}{% endfor %}{{ s }}',
      }),
      aSendRequest({ userId: 'bomb', triggerEventId: 'e-after' }),
    );

    const loop = await messageReaching(dispatch, 'bomb', 'e-loop', 'failed');
    expect(loop.failureReason).toMatch(/^template error: memory alloc limit exceeded/);
    expect(loop.statusHistory.map((s) => s.status)).toEqual(['failed']);
    const nested = await messageReaching(dispatch, 'bomb', 'e-nested', 'failed');
    // Its ranges count as allocations too: which limit it meets first depends on the machine's speed.
    expect(nested.failureReason).toMatch(/^template error: (template render|memory alloc) limit exceeded/);
    const doubled = await messageReaching(dispatch, 'bomb', 'e-append', 'failed');
    expect(doubled.failureReason).toMatch(/^template error: memory alloc limit exceeded/);

    const after = await messageReaching(dispatch, 'bomb', 'e-after', 'delivered');
    expect(after.body).toBe('Hi Ana, your cart of 129.9 € is waiting');
    expect((await dispatch.stack.client('dispatch').get('/health')).status).toBe(200);
  });

  it('a flood of 200 render-time bombs is composed well inside the session timeout, and the message after them is sent', async () => {
    // Loops over a list the event carries allocate and print nothing: only the time limit stops them (10⁹ iterations).
    const body =
      '{% for a in event.properties.items %}{% for b in event.properties.items %}{% for c in event.properties.items %}' +
      '{% endfor %}{% endfor %}{% endfor %}';
    const items = Array.from({ length: 1000 }, (_, i) => i);
    const bombs = Array.from({ length: 200 }, (_, i) => {
      const request = aSendRequest({ userId: 'flood', triggerEventId: `e-flood-${i}`, body });
      return { ...request, scope: { ...request.scope, event: { ...request.scope.event, properties: { items } } } };
    });
    const started = Date.now();
    await publishSendRequests(dispatch, ...bombs, aSendRequest({ userId: 'flood', triggerEventId: 'e-flood-after' }));

    await messageReaching(dispatch, 'flood', 'e-flood-after', 'delivered', 90_000);
    // Inside Kafka's 30 s session timeout: 200 renders at the full 1 s would take 200 s; after three timeouts in a row each gets 25 ms.
    expect(Date.now() - started).toBeLessThan(30_000);
    const { body: listed } = await dispatch.stack.client('dispatch').get<{ items: MessageItem[] }>('/v1/messages?userId=flood&limit=500');
    const failed = listed.items.filter((m) => m.status === 'failed');
    expect(failed).toHaveLength(200);
    expect(new Set(failed.map((m) => m.failureReason?.replace(/, line.*$/, '')))).toEqual(
      new Set(['template error: template render limit exceeded']),
    );
    expect((await dispatch.stack.client('dispatch').get('/health')).status).toBe(200);
  });

  it('the same template with a sane bound from the event renders and is sent', async () => {
    await publishSendRequests(dispatch, aLoopOverTheEvent('sane', 'e-sane', 5));
    expect((await messageReaching(dispatch, 'sane', 'e-sane', 'delivered')).body).toBe('xxxxx');
  });
});
