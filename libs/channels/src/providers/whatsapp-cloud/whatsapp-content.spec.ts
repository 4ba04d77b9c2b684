import type { OutboundMessage } from '../../outbound-message';
import { aCartReminder } from '../../testing/outbound-messages';
import { chooseWhatsAppContent, insideSessionWindow } from './whatsapp-content';

const NOW = new Date('2026-11-24T10:00:00Z');
const hoursAgo = (hours: number) => new Date(NOW.getTime() - hours * 3_600_000);
const aMessage = (overrides: Partial<OutboundMessage> = {}): OutboundMessage =>
  aCartReminder({ channel: 'whatsapp', to: '+34600000001', now: NOW, ...overrides });
const marketingTemplate = { marketing: { name: 'cart_reminder', language: 'es' } };

describe('insideSessionWindow', () => {
  it.each([
    ['the user never wrote', undefined, false],
    ['the user wrote a minute ago', hoursAgo(1 / 60), true],
    ['the user wrote 23 h 59 min ago', hoursAgo(23 + 59 / 60), true],
    ['the user wrote exactly 24 h ago: the window has closed', hoursAgo(24), false],
    ['the user wrote two days ago', hoursAgo(48), false],
  ])('%s → %s', (_behaviour, lastInboundAt, inside) => {
    expect(insideSessionWindow(lastInboundAt, NOW)).toBe(inside);
  });
});

describe('chooseWhatsAppContent', () => {
  it('sends free-form text inside the window, even with a template configured', () => {
    expect(chooseWhatsAppContent(aMessage({ lastInboundAt: hoursAgo(2) }), marketingTemplate)).toEqual({
      outcome: 'content',
      content: { type: 'text', text: { body: 'Your cart is waiting' } },
    });
  });

  it("sends the category's template outside the window, the body as its parameter", () => {
    expect(chooseWhatsAppContent(aMessage({ lastInboundAt: hoursAgo(30) }), marketingTemplate)).toEqual({
      outcome: 'content',
      content: {
        type: 'template',
        template: {
          name: 'cart_reminder',
          language: { code: 'es' },
          components: [{ type: 'body', parameters: [{ type: 'text', text: 'Your cart is waiting' }] }],
        },
      },
    });
  });

  it.each([
    ['marketing', {}],
    ['transactional', marketingTemplate],
  ] as const)('refuses a %s message outside the window with no template for its category', (category, templates) => {
    expect(chooseWhatsAppContent(aMessage({ category }), templates)).toEqual({
      outcome: 'refused',
      reason: `outside WhatsApp's 24 h customer-service window and no template configured for ${category}`,
    });
  });
});
