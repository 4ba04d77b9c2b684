import { sendThrough } from '../../channel-provider';
import type { OutboundMessage } from '../../outbound-message';
import { ProviderRegistry } from '../../provider-registry';
import { createInAppProvider } from './inapp.provider';
import type { InboxItem } from './inbox-writer';

const message: OutboundMessage = {
  messageId: '6f1c1c8e-58a4-4a43-a0f5-0a4f3c6b7d11',
  channel: 'inapp',
  to: 'ana',
  body: 'Your cart is waiting',
  subject: 'Still thinking?',
  attempt: 1,
  category: 'marketing',
  campaignId: 'cart-abandon-inapp',
  now: new Date('2026-11-24T10:00:00.000Z'),
};
const context = (inbox?: (item: InboxItem) => Promise<void>) => ({
  env: {},
  publicUrl: 'http://localhost:3002',
  ...(inbox ? { inbox } : {}),
});

describe('InAppProvider', () => {
  it('files the message into the inbox and counts it delivered', async () => {
    const filed: InboxItem[] = [];
    const provider = createInAppProvider(
      { provider: 'inapp' },
      'inapp',
      context(async (item) => void filed.push(item)),
    );

    expect(await provider.send(message)).toEqual({
      outcome: 'accepted',
      status: 'delivered',
      providerMessageId: `inapp-${message.messageId}`,
    });
    expect(filed).toEqual([
      {
        messageId: message.messageId,
        campaignId: 'cart-abandon-inapp',
        title: 'Still thinking?',
        body: 'Your cart is waiting',
        createdAt: '2026-11-24T10:00:00.000Z',
      },
    ]);
  });

  it('a message without a subject has no title', async () => {
    const filed: InboxItem[] = [];
    const provider = createInAppProvider(
      { provider: 'inapp' },
      'inapp',
      context(async (item) => void filed.push(item)),
    );
    await provider.send({ ...message, subject: undefined });
    expect(filed[0]?.title).toBeNull();
  });

  it('an inbox that cannot store (database down) fails transiently, to be retried', async () => {
    const provider = createInAppProvider(
      { provider: 'inapp' },
      'inapp',
      context(() => Promise.reject(new Error('connection refused'))),
    );
    const result = await sendThrough(provider, message);
    expect(result).toMatchObject({
      outcome: 'rejected',
      error: { kind: 'transient', message: 'inapp failed unexpectedly: connection refused' },
    });
  });

  it('cannot be built without an inbox to file into', () => {
    expect(() => ProviderRegistry.fromSettings({ inapp: { provider: 'inapp' } })).toThrow(
      /providers\.inapp\.provider: "inapp" needs an inbox/,
    );
  });

  it('the registry sends channel inapp through it when settings name it', () => {
    const registry = ProviderRegistry.fromSettings(
      { inapp: { provider: 'inapp' } },
      undefined,
      context(async () => undefined),
    );
    expect(registry.forChannel('inapp').name).toBe('inapp');
    expect(registry.byName('inapp')?.name).toBe('inapp');
  });
});
