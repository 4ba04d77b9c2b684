import { userToken } from '@nudge/service-runtime';
import { eventually, type TestStack } from '@nudge/testing';
import { Client } from 'pg';
import type { Browser, Page } from 'playwright-core';
import { startFakeTelegramBotApi, type FakeTelegramBotApi } from '@nudge/channels/testing';
import { ActiveProviders } from '../services/dispatch/src/providers/active-providers';
import { launchChromium } from './support/browser';
import { aCampaign, startNudge } from './support/nudge-stack';

const BOT_TOKEN = '123456:widget-e2e-bot-token';
const HOOK_SECRET = 'widget-e2e-hook-secret';
const INBOX_SECRET = 'widget-e2e-inbox-secret-0123456789';
const API_KEY = 'widget-e2e-admin-key-0123456789';

const widget = {
  title: 'ACME offers in your messenger',
  text: 'At most one message a week. Unsubscribe at any time.',
  textVersion: 'offers-2026-12',
  telegram: { bot: 'acme_bot' },
  viber: { uri: 'acme' },
  whatsapp: { number: '+34600000000', message: 'Send me ACME offers:' },
  messenger: { page: 'acmeshop' },
};

// The messenger subscribe widget (issue #12 item 7) on the real stack: the page in a real
// headless Chromium hands out deep links with a code; a Telegram `/start <code>` webhook, signed
// as Telegram signs it, binds the chat to the user with proof, and the consent_granted it
// publishes triggers a welcome campaign sent through the (fake) Telegram Bot API.
describe('messenger subscribe widget, end to end', () => {
  let stack: TestStack;
  let telegram: FakeTelegramBotApi;
  let browser: Browser;
  let db: Client;

  beforeAll(async () => {
    telegram = await startFakeTelegramBotApi(BOT_TOKEN);
    stack = await startNudge({
      label: 'widget',
      env: {
        NUDGE_API_KEY: API_KEY,
        NUDGE_INBOX_SECRET: INBOX_SECRET,
        NUDGE_LINK_SECRET: 'widget-e2e-link-secret-0123456789',
        NUDGE_SECRET_TG_TOKEN: BOT_TOKEN,
        NUDGE_SECRET_TG_HOOK: HOOK_SECRET,
      },
    });
    const settings = {
      providers: {
        telegram: {
          provider: 'telegram',
          tokenEnv: 'NUDGE_SECRET_TG_TOKEN',
          secretTokenEnv: 'NUDGE_SECRET_TG_HOOK',
          baseUrl: telegram.baseUrl,
        },
      },
      widgets: { shop: widget },
    };
    expect((await stack.client('rules').put('/v1/settings', settings)).status).toBe(200);
    const welcome = aCampaign('telegram-welcome').withBody('Welcome to ACME on Telegram').build();
    welcome.trigger = {
      event: 'consent_granted',
      conditions: { all: [{ fact: 'event', path: '$.properties.channel', operator: 'equal', value: 'telegram' }] },
    };
    welcome.message = { channel: 'telegram', body: 'Welcome to ACME on Telegram' };
    expect((await stack.client('rules').put('/v1/campaigns/telegram-welcome', welcome)).status).toBe(200);
    await eventually(() => (stack.app('dispatch').get(ActiveProviders).current().widgets.shop ? true : undefined), {
      what: 'dispatch to read the widget settings',
    });
    browser = await launchChromium();
    db = new Client({ connectionString: stack.database.url });
    await db.connect();
  });

  afterAll(async () => {
    await db?.end();
    await browser?.close();
    await stack?.stop();
    await telegram?.close();
  });

  const pageUrl = (query = '') => `${stack.url('dispatch')}/w/shop${query}`;

  async function openWidget(query = ''): Promise<{ page: Page; status: number | undefined }> {
    const page = await browser.newPage();
    const response = await page.goto(pageUrl(query));
    return { page, status: response?.status() };
  }

  async function buttonsOf(page: Page): Promise<{ text: string; href: string; rel: string }[]> {
    return page
      .locator('a.button')
      .evaluateAll((links) =>
        links.map((link) => ({ text: link.textContent ?? '', href: link.getAttribute('href') ?? '', rel: link.getAttribute('rel') ?? '' })),
      );
  }

  /** Telegram's webhook call for a chat that opened the bot with `text`, signed with the secret token. */
  function telegramUpdate(chatId: number, text: string, updateId: number) {
    const update = {
      update_id: updateId,
      message: {
        message_id: updateId,
        from: { id: chatId, is_bot: false, first_name: 'Ana' },
        chat: { id: chatId, type: 'private' },
        date: 1764000000,
        text,
      },
    };
    return fetch(`${stack.url('dispatch')}/v1/providers/telegram/inbound`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-telegram-bot-api-secret-token': HOOK_SECRET },
      body: JSON.stringify(update),
    });
  }

  const codeIn = (href: string) => new URL(href).searchParams.get('start') ?? '';

  it('shows one button per messenger with a deep link carrying a valid code, reachable by keyboard alone', async () => {
    const { page, status } = await openWidget(`?user=wu-1&token=${userToken(INBOX_SECRET, 'wu-1')}`);
    expect(status).toBe(200);
    expect(await page.locator('h1').textContent()).toBe(widget.title);
    const buttons = await buttonsOf(page);
    expect(buttons.map((button) => button.text)).toEqual([
      'Get updates on Telegram',
      'Get updates on Viber',
      'Get updates on WhatsApp',
      'Get updates on Messenger',
    ]);
    const code = codeIn(buttons[0]!.href);
    expect(code).toMatch(/^[0-9A-HJKMNP-TV-Z]{16}$/);
    expect(buttons.map((button) => button.href)).toEqual([
      `https://t.me/acme_bot?start=${code}`,
      `viber://pa?chatURI=acme&context=${code}`,
      `https://wa.me/34600000000?text=${encodeURIComponent(`Send me ACME offers: ${code.match(/.{4}/g)!.join('-')}`)}`,
      `https://m.me/acmeshop?ref=${code}`,
    ]);
    expect(buttons.every((button) => button.rel.split(' ').includes('noopener'))).toBe(true);

    const focused: string[] = [];
    for (let i = 0; i < buttons.length; i++) {
      await page.keyboard.press('Tab');
      focused.push(String(await page.evaluate("document.activeElement?.getAttribute('href') ?? ''")));
    }
    expect(focused).toEqual(buttons.map((button) => button.href));
    await page.close();
  });

  it('refuses a tampered visitor token with an error page, and an unknown widget with a 404 page', async () => {
    const token = userToken(INBOX_SECRET, 'wu-1');
    const tampered = await openWidget(`?user=wu-1&token=${token.slice(0, -1)}${token.endsWith('0') ? '1' : '0'}`);
    expect(tampered.status).toBe(400);
    expect(await tampered.page.locator('h1').textContent()).toBe('This link is not valid');
    expect(await tampered.page.locator('a.button').count()).toBe(0);
    await tampered.page.close();
    const unknown = await browser.newPage();
    expect((await unknown.goto(`${stack.url('dispatch')}/w/nope`))?.status()).toBe(404);
    await unknown.close();
  });

  it('binds the chat of a Telegram /start <code> to the user, with proof, once, and a campaign on consent_granted welcomes it', async () => {
    const { page } = await openWidget(`?user=wu-2&token=${userToken(INBOX_SECRET, 'wu-2')}`);
    const code = codeIn((await buttonsOf(page))[0]!.href);
    await page.close();

    const answer = await telegramUpdate(4242, `/start ${code}`, 1);
    expect(answer.status).toBe(200);
    expect(await answer.json()).toMatchObject({ subscriptions: { received: 1, bound: 1 }, inbound: { received: 0 } });

    const ingest = stack.client('ingest');
    const { body: profile } = await ingest.get('/v1/users/wu-2');
    expect(profile.channels.telegram).toMatchObject({ address: '4242', consent: { marketing: true } });
    const { body: history } = await ingest.get('/v1/users/wu-2/consent');
    expect(history.changes).toEqual([
      expect.objectContaining({
        channel: 'telegram',
        category: 'marketing',
        value: true,
        source: 'widget',
        textVersion: 'widget:shop:offers-2026-12',
        ip: null,
      }),
    ]);

    const welcome = await eventually(() => telegram.sent.find((message) => message.chatId === '4242'), { what: 'the welcome on Telegram' });
    expect(welcome.text).toBe('Welcome to ACME on Telegram');

    // Telegram redelivers, or the person presses Start again: bound once, no second consent change or welcome.
    expect(await (await telegramUpdate(4242, `/start ${code}`, 2)).json()).toMatchObject({ subscriptions: { received: 1, bound: 0 } });
    // Another chat with the same code (a forwarded link) binds nothing.
    expect(await (await telegramUpdate(5151, `/start ${code}`, 3)).json()).toMatchObject({ subscriptions: { received: 1, bound: 0 } });
    expect((await ingest.get('/v1/users/wu-2/consent')).body.changes).toHaveLength(1);
    const { body: decisions } = await stack.client('rules').get('/v1/users/wu-2/decisions');
    expect(decisions.items.filter((d: { campaignId: string }) => d.campaignId === 'telegram-welcome')).toHaveLength(1);
  });

  it("creates a profile for an anonymous visitor's code, which the welcome reaches", async () => {
    const { page } = await openWidget();
    const code = codeIn((await buttonsOf(page))[0]!.href);
    await page.close();
    expect(await (await telegramUpdate(6363, `/start ${code}`, 4)).json()).toMatchObject({ subscriptions: { bound: 1 } });
    const { rows } = await db.query<{ user_id: string; anonymous: boolean }>(
      "SELECT user_id, anonymous FROM widget_tokens WHERE $1 LIKE id || '%'",
      [code],
    );
    expect(rows).toEqual([{ user_id: expect.stringMatching(/^anon-/), anonymous: true }]);
    const { body: profile } = await stack.client('ingest').get(`/v1/users/${rows[0]!.user_id}`);
    expect(profile.channels.telegram).toMatchObject({ address: '6363', consent: { marketing: true } });
    await eventually(() => telegram.sent.find((message) => message.chatId === '6363'), { what: "the anonymous visitor's welcome" });
  });

  it('binds nothing with an expired or a forged code', async () => {
    const { page } = await openWidget(`?user=wu-3&token=${userToken(INBOX_SECRET, 'wu-3')}`);
    const code = codeIn((await buttonsOf(page))[0]!.href);
    await page.close();
    await db.query("UPDATE widget_tokens SET expires_at = now() - interval '1 minute' WHERE $1 LIKE id || '%'", [code]);
    expect(await (await telegramUpdate(7474, `/start ${code}`, 5)).json()).toMatchObject({ subscriptions: { received: 1, bound: 0 } });
    const forged = `${code.slice(0, 10)}${code.slice(10) === 'AAAAAA' ? 'BBBBBB' : 'AAAAAA'}`;
    expect(await (await telegramUpdate(7474, `/start ${forged}`, 6)).json()).toMatchObject({ subscriptions: { received: 1, bound: 0 } });
    expect((await stack.client('ingest').get('/v1/users/wu-3')).status).toBe(404);
  });
});
