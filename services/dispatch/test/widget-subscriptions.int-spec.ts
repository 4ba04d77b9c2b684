import { aWhatsAppNotification } from '@nudge/channels/testing';
import type { Profile } from '@nudge/contracts';
import type { JsonProducer } from '@nudge/kafka';
import { DATA_SOURCE, PRODUCER } from '@nudge/service-runtime';
import type { DataSource } from 'typeorm';
import { saveSettings, startDispatch, type DispatchHarness } from './support/dispatch-stack';

const HOOK_SECRET = 'widget-hook-secret';
const APP_SECRET = 'widget-whatsapp-app-secret';

// Dispatch binding chats that come back with a widget code: the WhatsApp number kept in E.164,
// and a change that cannot be published answered 503 so the provider's redelivery records it.
describe('dispatch: widget subscriptions', () => {
  let dispatch: DispatchHarness;
  let url: string;

  beforeAll(async () => {
    dispatch = await startDispatch('widget-subscriptions', {
      NUDGE_LINK_SECRET: 'widget-link-secret-0123456789',
      NUDGE_SECRET_TG_TOKEN: '123456:widget-bot',
      NUDGE_SECRET_TG_HOOK: HOOK_SECRET,
      NUDGE_SECRET_WA_TOKEN: 'wa-token',
      NUDGE_SECRET_WA_APP: APP_SECRET,
    });
    await saveSettings(dispatch, {
      providers: {
        telegram: { provider: 'telegram', tokenEnv: 'NUDGE_SECRET_TG_TOKEN', secretTokenEnv: 'NUDGE_SECRET_TG_HOOK' },
        whatsapp: {
          provider: 'whatsapp-cloud',
          phoneNumberId: '106540352242922',
          tokenEnv: 'NUDGE_SECRET_WA_TOKEN',
          appSecretEnv: 'NUDGE_SECRET_WA_APP',
        },
      },
      widgets: { shop: { telegram: { bot: 'acme_bot' }, whatsapp: { number: '+34600000000' } } },
    });
    url = dispatch.stack.url('dispatch');
  });

  afterAll(() => dispatch?.stop());

  async function aCode(): Promise<string> {
    const page = await fetch(`${url}/w/shop`);
    expect(page.status).toBe(200);
    return /https:\/\/t\.me\/acme_bot\?start=([0-9A-Z]{16})/.exec(await page.text())?.[1] ?? '';
  }

  const profileHolding = async (channel: string, address: string): Promise<Profile | undefined> => {
    const rows: { document: Profile }[] = await dispatch.stack
      .app('dispatch')
      .get<symbol, DataSource>(DATA_SOURCE)
      .query(`SELECT document FROM profiles WHERE document->'channels'->$1->>'address' = $2`, [channel, address]);
    return rows[0]?.document;
  };

  const start = (chatId: number, code: string, updateId: number) =>
    fetch(`${url}/v1/providers/telegram/inbound`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-telegram-bot-api-secret-token': HOOK_SECRET },
      body: JSON.stringify({
        update_id: updateId,
        message: { message_id: updateId, chat: { id: chatId, type: 'private' }, date: 1764000000, text: `/start ${code}` },
      }),
    });

  it('binds a WhatsApp sender by the code in their text, under the number in E.164', async () => {
    const code = await aCode();
    const display = code.match(/.{4}/g)!.join('-');
    const value = {
      messages: [
        { from: '34600000111', id: 'wamid.W1', timestamp: '1795514460', type: 'text', text: { body: `Send me offers ${display}` } },
      ],
    };
    const request = aWhatsAppNotification(APP_SECRET, value);
    const answer = await fetch(`${url}/v1/providers/whatsapp-cloud/inbound`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-hub-signature-256': request.headers['x-hub-signature-256'] ?? '' },
      body: request.rawBody,
    });
    expect(answer.status).toBe(200);
    expect(await answer.json()).toMatchObject({ subscriptions: { received: 1, bound: 1 }, inbound: { received: 0 } });
    const profile = await profileHolding('whatsapp', '+34600000111');
    expect(profile?.channels.whatsapp?.consent.marketing).toBe(true);
    expect(profile?.userId).toMatch(/^anon-/);
  });

  it('answers 503 when the change cannot be published, records nothing, and binds on the redelivery', async () => {
    const code = await aCode();
    const producer = dispatch.stack.app('dispatch').get<symbol, JsonProducer>(PRODUCER);
    const failing = jest.spyOn(producer, 'publishProfileChange').mockRejectedValueOnce(new Error('broker down'));
    try {
      const refused = await start(8080, code, 1);
      expect(refused.status).toBe(503);
    } finally {
      failing.mockRestore();
    }
    expect(await profileHolding('telegram', '8080')).toBeUndefined();
    const redelivered = await start(8080, code, 1);
    expect(await redelivered.json()).toMatchObject({ subscriptions: { received: 1, bound: 1 } });
    expect((await profileHolding('telegram', '8080'))?.channels.telegram?.consent.marketing).toBe(true);
  });
});
