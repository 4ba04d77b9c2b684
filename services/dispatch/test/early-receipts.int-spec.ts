import { PROVIDER_FACTORIES, type OutboundMessage, type ProviderFactory } from '@nudge/channels';
import { DATA_SOURCE } from '@nudge/service-runtime';
import { eventually, type ApiClient } from '@nudge/testing';
import type { DataSource } from 'typeorm';
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
const STATUS_PATH = '/v1/providers/signed-test/status';

/**
 * The signed test provider, except that before it answers a send it runs `beforeAnswer`:
 * a provider whose delivery receipt reaches dispatch before its answer to the send does.
 */
function earlyReceiptProvider(outbox: OutboundMessage[], beforeAnswer: (providerMessageId: string) => Promise<void>): ProviderFactory {
  const signedTest = signedTestProvider(outbox);
  return (settings, channel, context) => {
    const provider = signedTest(settings, channel, context);
    return {
      ...provider,
      send: async (message) => {
        const result = await provider.send(message);
        if (result.outcome === 'accepted') await beforeAnswer(result.providerMessageId);
        return result;
      },
    };
  };
}

// Delivery receipts that come before dispatch has recorded the provider id they name.
describe('early delivery receipts', () => {
  let dispatch: DispatchHarness;
  let anonymous: ApiClient;
  const answers: unknown[] = [];

  const postReceipt = (providerMessageId: string, status: string) => {
    const raw = JSON.stringify({ statuses: [{ id: providerMessageId, status }] });
    return anonymous.request(
      'POST',
      STATUS_PATH,
      undefined,
      { 'content-type': 'application/json', 'x-test-signature': signWebhook(SECRET, `${PUBLIC_URL}${STATUS_PATH}`, raw) },
      raw,
    );
  };

  const pendingReceipts = async (): Promise<{ provider_message_id: string }[]> =>
    dispatch.stack.app('dispatch').get<symbol, DataSource>(DATA_SOURCE).query('SELECT provider_message_id FROM pending_receipts');

  beforeAll(async () => {
    const callBackFirst = async (providerMessageId: string) => {
      answers.push((await postReceipt(providerMessageId, 'delivered')).body);
    };
    dispatch = await startDispatch(
      'dispatch-early-receipts',
      {
        PUBLIC_URL,
        NUDGE_SECRET_SIGNED_TEST: SECRET,
        DISPATCH_EARLY_RECEIPTS_POLL_MS: '100',
        DISPATCH_EARLY_RECEIPT_WAIT_MS: '2000',
      },
      { providerFactories: { ...PROVIDER_FACTORIES, [SIGNED_TEST_PROVIDER]: earlyReceiptProvider([], callBackFirst) } },
    );
    await saveSettings(dispatch, {
      providers: { sms: { provider: SIGNED_TEST_PROVIDER, secretEnv: 'NUDGE_SECRET_SIGNED_TEST', verifyToken: 'let-me-in' } },
    });
    anonymous = dispatch.stack.client('dispatch', '');
  });

  afterAll(() => dispatch?.stop());

  it('a receipt that comes before the send is recorded is kept, then applied once the provider id is known', async () => {
    await publishSendRequests(dispatch, aSendRequest({ userId: 'ada', triggerEventId: 'e-early-1', to: '+34600000501' }));

    const message = await messageReaching(dispatch, 'ada', 'e-early-1', 'delivered');
    // The provider's callback was answered before the send's result was recorded: it named no message yet.
    expect(answers[0]).toMatchObject({ statuses: { applied: 0, ignored: 0, unknown: 1 } });
    expect(message.statusHistory.map((s) => s.status)).toEqual(['queued', 'sent', 'delivered']);
    await messageEvents(dispatch, hasEvent('message_delivered', message.id));
    await eventually(async () => ((await pendingReceipts()).length === 0 ? true : undefined), { what: 'the kept receipt to be deleted' });
  });

  it('a receipt whose provider id is never recorded is dropped after its wait, counted as orphaned', async () => {
    const answer = await postReceipt('st-never-sent', 'delivered');
    expect(answer.body).toMatchObject({ statuses: { unknown: 1 } });
    expect((await pendingReceipts()).map((r) => r.provider_message_id)).toContain('st-never-sent');

    await eventually(
      async () => {
        const metrics = await dispatch.stack.client('dispatch').get<string>('/metrics');
        return /nudge_dispatch_orphaned_receipts_total\{[^}]*provider="signed-test"[^}]*\} 1\b/.test(metrics.body) ? true : undefined;
      },
      { what: 'the orphaned receipt to be counted', timeoutMs: 10_000 },
    );
    expect((await pendingReceipts()).map((r) => r.provider_message_id)).not.toContain('st-never-sent');
  });
});
