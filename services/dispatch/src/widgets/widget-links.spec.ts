import { widgetCodeIn } from '@nudge/channel-rules';
import { widgetsSchema } from '@nudge/settings';
import { widgetButtons } from './widget-links';

const CODE = 'K3P9ZQ4M7TXW2HRB';
const widgets = widgetsSchema.parse({
  shop: {
    telegram: { bot: 'acme_bot' },
    viber: { uri: 'acme' },
    whatsapp: { number: '+34600000000', message: 'Send me offers & news:' },
    messenger: { page: 'acmeshop' },
  },
  telegramOnly: { telegram: { bot: 'acme_bot' } },
});

describe('widgetButtons', () => {
  it('makes one deep link per messenger, each carrying the code, in the page order', () => {
    expect(widgetButtons(widgets.shop!, CODE)).toEqual([
      { messenger: 'telegram', label: 'Get updates on Telegram', href: `https://t.me/acme_bot?start=${CODE}` },
      { messenger: 'viber', label: 'Get updates on Viber', href: `viber://pa?chatURI=acme&context=${CODE}` },
      {
        messenger: 'whatsapp',
        label: 'Get updates on WhatsApp',
        href: 'https://wa.me/34600000000?text=Send%20me%20offers%20%26%20news%3A%20K3P9-ZQ4M-7TXW-2HRB',
      },
      { messenger: 'messenger', label: 'Get updates on Messenger', href: `https://m.me/acmeshop?ref=${CODE}` },
    ]);
  });

  it('offers only the messengers the widget configures', () => {
    expect(widgetButtons(widgets.telegramOnly!, CODE).map((button) => button.messenger)).toEqual(['telegram']);
  });

  it('prefills a WhatsApp text in which the webhook finds the code again', () => {
    const whatsapp = widgetButtons(widgets.shop!, CODE).find((button) => button.messenger === 'whatsapp')!;
    const text = new URL(whatsapp.href).searchParams.get('text') ?? '';
    expect(widgetCodeIn(text)).toBe(CODE);
  });
});
