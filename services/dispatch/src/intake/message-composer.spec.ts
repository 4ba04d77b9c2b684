import type { SendRequest } from '@nudge/contracts';
import { RecipientLinks } from '../recipient-links/recipient-links';
import { verifyRecipientToken } from '../recipient-links/recipient-link-token';
import { MessageComposer } from './message-composer';

const sandbox = { name: 'sandbox', capabilities: { idempotencyKey: true } };

function aSendRequest(overrides: { body?: string; channel?: SendRequest['channel']; to?: string } = {}): SendRequest {
  const at = '2026-11-23T10:00:00.000Z';
  return {
    sendId: 'snd_1',
    campaignId: 'cart-abandon-sms',
    campaignVersion: 1,
    category: 'marketing',
    stepId: 'main',
    userId: 'u1',
    triggerEventId: 'e1',
    decidedAt: at,
    channel: overrides.channel ?? 'sms',
    to: overrides.to ?? '+34600000001',
    message: {
      sender: 'ACME',
      body: overrides.body ?? 'Hi {{ profile.attributes.firstName }}, your cart of {{ event.properties.cartValue }} € is waiting',
    },
    scope: {
      event: {
        eventId: 'e1',
        userId: 'u1',
        name: 'cart_abandoned',
        timestamp: at,
        receivedAt: at,
        properties: { cartValue: 129.9 },
        context: {},
      },
      profile: { userId: 'u1', attributes: { firstName: 'Ana' } },
      campaign: { id: 'cart-abandon-sms', version: 1 },
    },
  };
}

describe('MessageComposer', () => {
  let codes = 0;
  const composer = new MessageComposer({
    publicUrl: 'https://nudge.example/',
    newLinkCode: () => `code${String(++codes).padStart(6, '0')}`,
  });

  it('personalises the body and counts SMS segments', async () => {
    const { message, missingVariables } = await composer.compose(aSendRequest(), sandbox);
    expect(message).toMatchObject({
      body: 'Hi Ana, your cart of 129.9 € is waiting',
      segments: 1,
      status: 'queued',
      provider: 'sandbox',
      failureReason: null,
    });
    expect(missingVariables).toEqual([]);
  });

  it('renders a missing variable empty and names it', async () => {
    const { message, missingVariables } = await composer.compose(aSendRequest({ body: 'Hi {{ profile.attributes.lastName }}!' }), sandbox);
    expect(message.body).toBe('Hi !');
    expect(missingVariables).toEqual(['profile.attributes.lastName']);
  });

  it('counts segments only for SMS', async () => {
    const { message } = await composer.compose(aSendRequest({ channel: 'whatsapp' }), sandbox);
    expect(message.segments).toBeNull();
  });

  it('a template that does not parse makes a failed message with the reason', async () => {
    const { message } = await composer.compose(aSendRequest({ body: 'Hi {{ profile | nope }}' }), sandbox);
    expect(message.status).toBe('failed');
    expect(message.body).toBeNull();
    expect(message.failureReason).toMatch(/^template error: .*nope/);
  });

  it.each([
    ['a loop over a hundred million', '{% for i in (1..100000000) %}x{% endfor %}', 'memory alloc limit exceeded'],
    [
      'nested loops of ten thousand',
      '{% for a in (1..10000) %}{% for b in (1..10000) %}{% endfor %}{% endfor %}',
      // Its ranges count as allocations too: which limit it meets first depends on the machine's speed.
      '(template render|memory alloc) limit exceeded',
    ],
    [
      'a string doubled by append',
      '{% assign s = "xx" %}{% for i in (1..64) %}{% assign s = s | append: s %}{% endfor %}{{ s }}',
      'memory alloc limit exceeded',
    ],
  ])('a body with %s makes a failed message naming the limit, quickly, and the next body renders', async (_, body, limit) => {
    const started = Date.now();
    const { message } = await composer.compose(aSendRequest({ body }), sandbox);
    expect(Date.now() - started).toBeLessThan(3_000);
    expect(message).toMatchObject({
      status: 'failed',
      body: null,
      failureReason: expect.stringMatching(new RegExp(`^template error: ${limit}`)),
    });
    expect((await composer.compose(aSendRequest(), sandbox)).message).toMatchObject({
      status: 'queued',
      body: 'Hi Ana, your cart of 129.9 € is waiting',
    });
  });

  it('gives every message its own id', async () => {
    const [first, second] = await Promise.all([composer.compose(aSendRequest(), sandbox), composer.compose(aSendRequest(), sandbox)]);
    expect(first.message.id).not.toBe(second.message.id);
  });

  it('makes one tracked link per distinct target, with UTM parameters on the stored target', async () => {
    const { message } = await composer.compose(
      aSendRequest({
        body: "{{ 'https://shop.example/cart?id=9#top' | track }} {{ 'https://shop.example/cart?id=9#top' | track }} {{ 'mailto:help@shop.example' | track }}",
      }),
      sandbox,
    );
    const [cart, mail] = message.links;
    expect(message.links).toHaveLength(2);
    expect(message.body).toBe(
      `https://nudge.example/c/${cart?.code} https://nudge.example/c/${cart?.code} https://nudge.example/c/${mail?.code}`,
    );
    expect(cart?.target).toBe('https://shop.example/cart?id=9&utm_source=nudge&utm_medium=sms&utm_campaign=cart-abandon-sms#top');
    expect(mail?.target).toBe('mailto:help@shop.example');
  });

  it('a tracked link to a relative URL fails the message', async () => {
    const { message } = await composer.compose(aSendRequest({ body: "{{ 'cart' | track }}" }), sandbox);
    expect(message).toMatchObject({ status: 'failed', links: [] });
    expect(message.failureReason).toMatch(/^template error: .*\| track needs an absolute URL/);
  });

  it('puts the number in E.164', async () => {
    const { message } = await composer.compose(aSendRequest({ to: '+34 600 00 00 01' }), sandbox);
    expect(message.recipient).toBe('+34600000001');
  });

  it('an invalid number makes a failed message, nothing rendered', async () => {
    const { message } = await composer.compose(aSendRequest({ to: '+34600', body: "{{ 'https://a.example' | track }}" }), sandbox);
    expect(message).toMatchObject({
      status: 'failed',
      body: null,
      links: [],
      recipient: '+34600',
      failureReason: 'invalid phone number "+34600": not a valid number',
    });
  });

  it('a body longer than the provider takes fails with both lengths', async () => {
    const short = { name: 'tiny', capabilities: { idempotencyKey: false, maxLength: 10 } };
    const { message } = await composer.compose(aSendRequest({ body: "Hello world! {{ 'https://a.example' | track }}" }), short);
    expect(message).toMatchObject({ status: 'failed', links: [] });
    expect(message.failureReason).toMatch(/^the body has \d+ characters; tiny takes at most 10$/);
  });

  describe('{{ unsubscribe_url }}', () => {
    const secret = 'link-secret-0123456789abcdef';
    const withLinks = new MessageComposer({
      publicUrl: 'https://nudge.example/',
      recipientLinks: new RecipientLinks({ secrets: [secret], publicUrl: 'https://nudge.example/', ttlDays: 30 }),
    });

    it.each(['sms', 'email'] as const)('renders the message’s signed unsubscribe link on %s', async (channel) => {
      const to = channel === 'sms' ? '+34600000001' : 'ana@example.com';
      const { message, missingVariables } = await withLinks.compose(
        aSendRequest({ channel, to, body: 'Stop: {{ unsubscribe_url }}' }),
        sandbox,
      );
      expect(missingVariables).toEqual([]);
      const token = /^Stop: https:\/\/nudge\.example\/u\/([A-Za-z0-9_-]+\.[A-Za-z0-9_-]+)$/.exec(message.body ?? '')?.[1];
      expect(verifyRecipientToken([secret], token ?? '', 'unsubscribe', new Date('2026-11-24T10:00:00Z'))).toEqual({
        ok: true,
        claims: {
          purpose: 'unsubscribe',
          userId: 'u1',
          channel,
          messageId: message.id,
          expiresAt: Date.parse('2026-12-23T10:00:00Z') / 1_000,
        },
      });
    });

    it('is the link the sender puts in the headers', async () => {
      const links = new RecipientLinks({ secrets: [secret], publicUrl: 'https://nudge.example', ttlDays: 30 });
      const request = aSendRequest({ body: '{{ unsubscribe_url }}' });
      const { message } = await withLinks.compose(request, sandbox);
      const link = links.unsubscribeLink({ id: message.id, userId: 'u1', channel: 'sms', decidedAt: request.decidedAt });
      expect(message.body).toBe(link?.url);
    });

    it('without links (no NUDGE_LINK_SECRET) the variable is missing, rendered empty and named', async () => {
      const off = new MessageComposer({
        publicUrl: 'https://nudge.example/',
        recipientLinks: new RecipientLinks({ secrets: [], publicUrl: 'https://nudge.example/', ttlDays: 30 }),
      });
      const { message, missingVariables } = await off.compose(aSendRequest({ body: 'Stop: {{ unsubscribe_url }}' }), sandbox);
      expect(message.body).toBe('Stop: ');
      expect(missingVariables).toEqual(['unsubscribe_url']);
    });
  });

  describe('{{ preferences_url }}', () => {
    const secret = 'link-secret-0123456789abcdef';
    const links = new RecipientLinks({ secrets: [secret], publicUrl: 'https://nudge.example', ttlDays: 30 });

    it('renders the message’s signed preference centre link, a token of its own purpose', async () => {
      const composer = new MessageComposer({ publicUrl: 'https://nudge.example/', recipientLinks: links });
      const request = aSendRequest({ body: 'Choose: {{ preferences_url }}' });
      const { message, missingVariables } = await composer.compose(request, sandbox);
      expect(missingVariables).toEqual([]);
      const link = links.preferencesLink({ id: message.id, userId: 'u1', channel: 'sms', decidedAt: request.decidedAt });
      expect(message.body).toBe(`Choose: ${link?.url}`);
      const token = /\/p\/(\S+)$/.exec(message.body ?? '')?.[1] ?? '';
      expect(verifyRecipientToken([secret], token, 'preferences', new Date('2026-11-24T10:00:00Z'))).toMatchObject({ ok: true });
    });

    it('without links the variable is missing, rendered empty and named', async () => {
      const off = new MessageComposer({
        publicUrl: 'https://nudge.example/',
        recipientLinks: new RecipientLinks({ secrets: [], publicUrl: 'https://nudge.example/', ttlDays: 30 }),
      });
      const { message, missingVariables } = await off.compose(aSendRequest({ body: 'Choose: {{ preferences_url }}' }), sandbox);
      expect(message.body).toBe('Choose: ');
      expect(missingVariables).toEqual(['preferences_url']);
    });
  });
});
