import { DLQ_HEADERS } from '@nudge/contracts';
import { readTopic } from '@nudge/testing';
import {
  aSendRequest,
  messageReaching,
  messagesOf,
  publishSendRequests,
  startDispatch,
  type DispatchHarness,
} from './support/dispatch-stack';

// A send request that passes the schema but that Postgres refuses to store goes to the DLQ
// with the error, and the requests after it on its partition are still sent.
describe('dispatch and a send request it cannot store', () => {
  let dispatch: DispatchHarness;

  beforeAll(async () => {
    dispatch = await startDispatch('poison-send');
  });

  afterAll(() => dispatch?.stop());

  it('dead-letters it with the database error and sends the next requests of the same user within seconds', async () => {
    // A positive integer to the schema, out of range for the messages' int column.
    const poisoned = { ...aSendRequest({ userId: 'olga', triggerEventId: 'e-olga-poison' }), campaignVersion: 2 ** 31 };
    await publishSendRequests(
      dispatch,
      poisoned,
      aSendRequest({ userId: 'olga', triggerEventId: 'e-olga-1' }),
      aSendRequest({ userId: 'olga', triggerEventId: 'e-olga-2' }),
    );
    const started = Date.now();

    await messageReaching(dispatch, 'olga', 'e-olga-1', 'delivered');
    await messageReaching(dispatch, 'olga', 'e-olga-2', 'delivered');
    expect(Date.now() - started).toBeLessThan(15_000);
    expect((await messagesOf(dispatch, 'olga')).map((m) => m.sendId)).not.toContain(poisoned.sendId);

    const dlq = dispatch.stack.topics.dlq(dispatch.stack.topics.dispatch);
    const letters = await readTopic(dispatch.stack.brokers, dlq, { until: (all) => all.length >= 1 });
    expect(letters).toHaveLength(1);
    expect(letters[0]).toMatchObject({ key: 'olga', value: { sendId: poisoned.sendId, campaignVersion: 2 ** 31 } });
    expect(letters[0]?.headers).toMatchObject({
      [DLQ_HEADERS.errorKind]: 'handler_failed',
      [DLQ_HEADERS.error]: expect.stringMatching(/out of range for type integer/),
      [DLQ_HEADERS.sourceTopic]: dispatch.stack.topics.dispatch,
    });
  });
});
