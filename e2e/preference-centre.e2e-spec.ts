import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { eventually, type TestStack } from '@nudge/testing';
import type { Browser, Page } from 'playwright-core';
import { ActiveProviders } from '../services/dispatch/src/providers/active-providers';
import { signRecipientToken } from '../services/dispatch/src/recipient-links/recipient-link-token';
import { launchChromium } from './support/browser';
import { aCampaign, startNudge } from './support/nudge-stack';

const PUBLIC_URL = 'https://nudge.example';
const LINK_SECRET = 'e2e-preferences-secret-0123456789';
/** Set to a directory (docs/images) to write the README's screenshots of the page in English and Spanish. */
const SCREENSHOTS_DIR = process.env.NUDGE_SCREENSHOTS_DIR;

const topics = [
  {
    id: 'promotions',
    label: { en: 'Offers and promotions', es: 'Ofertas y promociones' },
    description: { en: 'Discounts and sales, before anyone else.', es: 'Descuentos y rebajas, antes que nadie.' },
  },
  {
    id: 'news',
    label: { en: 'Product news', es: 'Novedades' },
    description: { en: 'New products and features, once a month.', es: 'Productos y funciones nuevas, una vez al mes.' },
  },
];

// The preference centre and the unsubscribe page as a recipient meets them: the link in a
// message the sandbox provider delivered, opened in a real headless Chromium, driven with the
// keyboard alone; what is saved shows in the profile, the consent history and rules' next decisions.
describe('the preference centre in a browser', () => {
  let stack: TestStack;
  let browser: Browser;

  beforeAll(async () => {
    stack = await startNudge({ label: 'prefs', env: { PUBLIC_URL, NUDGE_LINK_SECRET: LINK_SECRET, DISPATCH_SETTINGS_REFRESH_MS: '200' } });
    browser = await launchChromium();
    expect((await rules().put('/v1/settings', { topics })).status).toBe(200);
    const linked = aCampaign('prefs-links')
      .triggeredBy('links_asked')
      .withBody('Choose: {{ preferences_url }} Stop: {{ unsubscribe_url }}');
    expect((await rules().put('/v1/campaigns/prefs-links', linked.build())).status).toBe(200);
    const offers = { ...aCampaign('prefs-offers').triggeredBy('offer_seen').build(), topic: 'promotions' };
    expect((await rules().put('/v1/campaigns/prefs-offers', offers)).status).toBe(200);
    await eventually(() => (stack.app('dispatch').get(ActiveProviders).current().topics.length === 2 ? true : undefined), {
      what: 'dispatch to read the topics',
    });
  });

  afterAll(async () => {
    await browser?.close();
    await stack?.stop();
  });

  const rules = () => stack.client('rules');
  const ingest = () => stack.client('ingest');
  const dispatch = () => stack.client('dispatch');

  async function aUserWithLinks(userId: string, phone: string, extra: Record<string, unknown> = {}) {
    const profile = {
      attributes: { firstName: userId },
      timezone: 'UTC',
      channels: {
        sms: { address: phone, consent: { marketing: true, transactional: true } },
        email: { address: `${userId}@example.com`, consent: { marketing: true } },
      },
      preferences: { topics: { promotions: true, news: true } },
      ...extra,
    };
    expect((await ingest().put(`/v1/users/${userId}`, profile)).status).toBe(200);
    await ingest().post('/v1/events', { userId, name: 'links_asked', eventId: `links-${userId}` });
    const message = await eventually(
      async () => {
        const { body } = await dispatch().get(`/v1/messages?userId=${userId}&campaignId=prefs-links`);
        return body.items.find((m: { status: string }) => m.status === 'delivered');
      },
      { what: `the message with links for ${userId}` },
    );
    const [, preferences, unsubscribe] = /^Choose: (\S+) Stop: (\S+)$/.exec(message.body) ?? [];
    expect(preferences).toMatch(new RegExp(`^${PUBLIC_URL}/p/[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]+$`));
    expect(unsubscribe).toMatch(new RegExp(`^${PUBLIC_URL}/u/`));
    const local = (url: string) => url.replace(PUBLIC_URL, stack.url('dispatch'));
    return { preferences: local(preferences!), unsubscribe: local(unsubscribe!) };
  }

  async function profileOf(userId: string) {
    const { body } = await ingest().get(`/v1/users/${userId}`);
    return body;
  }

  async function decisionOf(userId: string, triggerEventId: string) {
    return eventually(async () => {
      const { body } = await rules().get(`/v1/users/${userId}/decisions`);
      return body.items.find((d: { triggerEventId: string }) => d.triggerEventId === triggerEventId);
    });
  }

  /**
   * Presses Enter on the focused button and waits for the page its form's POST answers with. The
   * POST goes to the page's own URL, so waiting for the URL would return at once, before it loads.
   */
  async function submitWithEnter(page: Page): Promise<void> {
    await Promise.all([page.waitForNavigation({ waitUntil: 'load' }), page.keyboard.press('Enter')]);
  }

  /** Presses Tab until the element with `id` has the focus (at most `max` presses), as a keyboard user does. */
  async function tabTo(page: Page, id: string, max = 12): Promise<void> {
    for (let i = 0; i < max; i++) {
      await page.keyboard.press('Tab');
      if ((await page.evaluate('document.activeElement?.id')) === id) return;
    }
    throw new Error(`Tab never reached #${id}`);
  }

  it('unticks a topic and picks one a week with the keyboard alone; the topic campaign and the broadcast skip her, the cap holds', async () => {
    const links = await aUserWithLinks('pc-ana', '+34600000601');
    const page = await browser.newPage({ locale: 'en-GB' });
    await page.goto(links.preferences);
    expect(await page.locator('h1').textContent()).toBe('Your message preferences');
    expect(await page.getAttribute('html', 'lang')).toBe('en');

    await tabTo(page, 'topic-0');
    expect(await page.evaluate('getComputedStyle(document.activeElement).outlineStyle')).toBe('solid');
    await page.keyboard.press('Space');
    expect(await page.isChecked('#topic-0')).toBe(false);
    await tabTo(page, 'frequency-any');
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('ArrowDown');
    expect(await page.isChecked('#frequency-1')).toBe(true);
    await tabTo(page, 'save');
    await submitWithEnter(page);
    expect(await page.locator('h1').textContent()).toBe('Your preferences are saved');
    expect(await page.locator('[role=status]').textContent()).toContain('follow your choices');
    await page.close();

    const stored = await profileOf('pc-ana');
    expect(stored.preferences).toEqual({ topics: { promotions: false, news: true }, maxPerWeek: 1 });
    expect(stored.channels.sms.consent.marketing).toBe(true);
    const { body: history } = await ingest().get('/v1/users/pc-ana/preferences/history?limit=2');
    expect(history.changes).toEqual([
      expect.objectContaining({ preference: 'maxPerWeek', maxPerWeek: 1, source: 'preference_page', ip: '127.0.0.1' }),
      expect.objectContaining({ preference: 'topic', topic: 'promotions', subscribed: false, textVersion: 'preference-page-1-en' }),
    ]);

    await ingest().post('/v1/events', { userId: 'pc-ana', name: 'offer_seen', eventId: 'offer-ana' });
    expect(await decisionOf('pc-ana', 'offer-ana')).toMatchObject({
      campaignId: 'prefs-offers',
      outcome: 'no_consent',
      reason: 'the user switched off the topic "promotions"',
    });

    // The weekly maximum she chose is a cap of her own: the links message was her one this week.
    await ingest().post('/v1/events', { userId: 'pc-ana', name: 'links_asked', eventId: 'links-again-ana' });
    expect(await decisionOf('pc-ana', 'links-again-ana')).toMatchObject({ outcome: 'capped' });

    await ingest().put('/v1/users/pc-bob', {
      channels: { sms: { address: '+34600000602', consent: { marketing: true } } },
      preferences: { topics: { promotions: true } },
    });
    const broadcast = { id: 'prefs-sale', name: 'Sale', audience: { topic: 'promotions' }, message: { channel: 'sms', body: 'Sale!' } };
    expect((await rules().post('/v1/broadcasts', broadcast)).status).toBe(202);
    const done = await eventually(async () => {
      const { body } = await rules().get('/v1/broadcasts/prefs-sale');
      return body.status === 'completed' ? body : undefined;
    });
    // She unticked the topic: the broadcast decides her no_consent and says why; only Bob gets it.
    expect(done).toMatchObject({ counts: { sent: 1, no_consent: 1 } });
    expect(await decisionOf('pc-ana', 'broadcast:prefs-sale')).toMatchObject({
      outcome: 'no_consent',
      reason: 'the user switched off the topic "promotions"',
    });
    const { body: sale } = await dispatch().get('/v1/messages?campaignId=prefs-sale');
    expect(sale.items.map((m: { userId: string }) => m.userId)).toEqual(['pc-bob']);
  });

  it('"unsubscribe from all marketing" withdraws marketing on every channel, with proof in the consent history', async () => {
    const links = await aUserWithLinks('pc-cai', '+34600000603');
    const page = await browser.newPage({ userAgent: 'PrefsTest/1.0 (Chromium)' });
    await page.goto(links.preferences);
    await tabTo(page, 'unsubscribe-all');
    await page.keyboard.press('Space');
    await tabTo(page, 'save');
    await submitWithEnter(page);
    expect(await page.locator('[role=status]').textContent()).toBe('You will receive no marketing messages from us.');

    await page.goto(links.preferences);
    expect(await page.locator('.notice').textContent()).toBe('You currently receive no marketing messages from us.');
    await page.close();

    const stored = await profileOf('pc-cai');
    expect(stored.channels.sms.consent.marketing).toBe(false);
    expect(stored.channels.email.consent.marketing).toBe(false);
    expect(stored.preferences.topics).toEqual({ promotions: true, news: true });
    const { body: history } = await ingest().get('/v1/users/pc-cai/consent');
    const withdrawals = history.changes.filter((c: { value: boolean }) => c.value === false);
    expect(withdrawals.map((c: { channel: string }) => c.channel).sort()).toEqual(['email', 'sms']);
    for (const change of withdrawals) {
      expect(change).toMatchObject({
        category: 'marketing',
        source: 'preference_page',
        ip: '127.0.0.1',
        userAgent: 'PrefsTest/1.0 (Chromium)',
        textVersion: 'preference-page-1-en',
      });
    }
  });

  it('the unsubscribe link opens its page in a browser; its button, pressed with Enter, unsubscribes that channel', async () => {
    const links = await aUserWithLinks('pc-dan', '+34600000604');
    const page = await browser.newPage();
    await page.goto(links.unsubscribe);
    expect(await page.locator('h1').textContent()).toBe('Unsubscribe?');
    expect(await profileOf('pc-dan')).toMatchObject({ channels: { sms: { consent: { marketing: true } } } });
    await page.keyboard.press('Tab');
    expect(await page.evaluate('document.activeElement?.tagName')).toBe('BUTTON');
    await submitWithEnter(page);
    expect(await page.locator('h1').textContent()).toBe('You are unsubscribed');
    await page.close();

    const stored = await profileOf('pc-dan');
    expect(stored.channels.sms.consent.marketing).toBe(false);
    expect(stored.channels.email.consent.marketing).toBe(true);
    const { body: history } = await ingest().get('/v1/users/pc-dan/consent');
    expect(history.changes[0]).toMatchObject({ channel: 'sms', value: false, source: 'unsubscribe_link', ip: '127.0.0.1' });
  });

  it('a tampered or expired link shows an error page, and saving through it changes nothing', async () => {
    const links = await aUserWithLinks('pc-eve', '+34600000605');
    const before = await profileOf('pc-eve');
    const tampered = links.preferences.replace(/\/p\/(.)/, (_all, c: string) => `/p/${c === 'W' ? 'X' : 'W'}`);
    const expiredToken = signRecipientToken(LINK_SECRET, { purpose: 'preferences', userId: 'pc-eve', channel: 'sms', expiresAt: 1_000 });
    const expired = `${stack.url('dispatch')}/p/${expiredToken}`;
    const page = await browser.newPage();

    const invalid = await page.goto(tampered);
    expect(invalid?.status()).toBe(400);
    expect(await page.locator('h1').textContent()).toBe('This link is not valid');
    expect(await page.locator('form').count()).toBe(0);
    const gone = await page.goto(expired);
    expect(gone?.status()).toBe(410);
    expect(await page.locator('h1').textContent()).toBe('This link has expired');
    await page.close();

    const form = 'form=preferences&shown=promotions&was=promotions&frequency=1&unsubscribe_all=yes';
    for (const url of [tampered, expired]) {
      const answer = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: form });
      expect([400, 410]).toContain(answer.status);
    }
    const crossSite = await fetch(links.preferences, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', 'sec-fetch-site': 'cross-site' },
      body: form,
    });
    expect(crossSite.status).toBe(400);
    expect(await crossSite.text()).toContain('field “Sec-Fetch-Site”');
    const bare = await fetch(links.preferences, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: '',
    });
    expect(bare.status).toBe(400);
    expect(await bare.text()).toContain('field “form”');
    expect(await profileOf('pc-eve')).toEqual(before);
  });

  it('speaks Spanish to a profile whose locale is es-MX, topic labels included', async () => {
    const links = await aUserWithLinks('pc-sol', '+34600000606', { locale: 'es-MX' });
    const before = await profileOf('pc-sol');
    const page = await browser.newPage({ locale: 'en-US', viewport: { width: 760, height: 720 } });
    await page.goto(links.preferences);
    expect(await profileOf('pc-sol')).toEqual(before); // showing the form changes nothing
    expect(await page.getAttribute('html', 'lang')).toBe('es');
    expect(await page.locator('h1').textContent()).toBe('Sus preferencias de mensajes');
    expect(await page.locator('label[for=topic-0]').textContent()).toBe('Ofertas y promociones');
    expect(await page.locator('button').textContent()).toBe('Guardar mis preferencias');
    if (SCREENSHOTS_DIR) await screenshot(page, 'preference-centre-es.png');

    const english = await aUserWithLinks('pc-tom', '+34600000607', { locale: 'en-GB' });
    await page.goto(english.preferences);
    expect(await page.getAttribute('html', 'lang')).toBe('en');
    if (SCREENSHOTS_DIR) await screenshot(page, 'preference-centre-en.png');
    await page.close();
  });

  async function screenshot(page: Page, name: string): Promise<void> {
    mkdirSync(SCREENSHOTS_DIR!, { recursive: true });
    await page.screenshot({ path: path.join(SCREENSHOTS_DIR!, name), fullPage: true });
  }
});
