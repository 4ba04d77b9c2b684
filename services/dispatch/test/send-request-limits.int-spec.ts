import { DLQ_HEADERS, type SendRequest } from '@nudge/contracts';
import { readTopic } from '@nudge/testing';
import {
  aSendRequest,
  messageReaching,
  messagesOf,
  publishSendRequests,
  startDispatch,
  type DispatchHarness,
} from './support/dispatch-stack';

let deep: Record<string, unknown> = {};
for (let level = 1; level < 20; level++) deep = { d: deep };

/** The request with its trigger event's properties replaced. */
const withProperties = (request: SendRequest, properties: Record<string, unknown>): SendRequest => ({
  ...request,
  scope: { ...request.scope, event: { ...request.scope.event, properties } },
});

// Send requests produced straight into the dispatch topic, past rules: each fault, and the field its dead letter must name.
const FAULTS: [string, string, (request: SendRequest) => SendRequest][] = [
  ['NUL in a property of the trigger event', 'scope.event.properties.note', (r) => withProperties(r, { note: 'a\u0000b' })],
  [
    '300 keys in the trigger event properties',
    'scope.event.properties',
    (r) => withProperties(r, Object.fromEntries(Array.from({ length: 300 }, (_, i) => [`k${i}`, i]))),
  ],
  ['trigger event properties nested 20 deep', 'scope.event.properties.d.d.d.d.d.d.d.d', (r) => withProperties(r, deep)],
  ['a control character in userId', 'userId', (r) => ({ ...r, userId: 'rosa\u0007' })],
  ['40 KB of trigger event properties', 'scope.event.properties', (r) => withProperties(r, { blob: 'x'.repeat(40 * 1024) })],
  ['NUL in the message body, which Postgres cannot store', 'message.body', (r) => ({ ...r, message: { ...r.message, body: 'Hi\u0000' } })],
];

describe('dispatch: send requests past the input limits', () => {
  let dispatch: DispatchHarness;

  beforeAll(async () => {
    dispatch = await startDispatch('send-request-limits');
  });

  afterAll(() => dispatch?.stop());

  it('dead-letters each request with the field in the reason, and still sends the next good one', async () => {
    const faulty = FAULTS.map(([, , fault], i) => fault(aSendRequest({ userId: 'rosa', triggerEventId: `e-rosa-bad-${i}` })));
    // Keyed by the valid userId, so every record shares the good one's partition and comes before it.
    await dispatch.rules.publish(
      dispatch.stack.topics.dispatch,
      faulty.map((request) => ({ key: 'rosa', value: request })),
    );
    await publishSendRequests(dispatch, aSendRequest({ userId: 'rosa', triggerEventId: 'e-rosa-good' }));

    await messageReaching(dispatch, 'rosa', 'e-rosa-good', 'delivered');
    expect((await messagesOf(dispatch, 'rosa')).map((m) => m.triggerEventId)).toEqual(['e-rosa-good']);

    const letters = await readTopic(dispatch.stack.brokers, dispatch.stack.topics.dlq(dispatch.stack.topics.dispatch), {
      until: (all) => all.length >= FAULTS.length,
    });
    expect(letters.map((l) => l.value.triggerEventId)).toEqual(FAULTS.map((_, i) => `e-rosa-bad-${i}`));
    letters.forEach((letter, i) => {
      expect(letter.headers[DLQ_HEADERS.errorKind]).toBe('invalid_schema');
      expect(letter.headers[DLQ_HEADERS.error]).toContain(`schema violation: ${FAULTS[i]![1]}: `);
    });
  });
});
