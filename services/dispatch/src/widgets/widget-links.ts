import { displayWidgetCode } from '@nudge/channel-rules';
import { WIDGET_MESSENGERS, type WidgetMessenger, type WidgetSettings } from '@nudge/settings';

/** One button of a widget page: the messenger, what it says, and the deep link it opens. */
export interface WidgetButton {
  messenger: WidgetMessenger;
  label: string;
  href: string;
}

const MESSENGER_NAMES: Record<WidgetMessenger, string> = {
  telegram: 'Telegram',
  viber: 'Viber',
  whatsapp: 'WhatsApp',
  messenger: 'Messenger',
};

/**
 * The deep links of a widget's page, one per messenger it offers, in the order of
 * WIDGET_MESSENGERS, each carrying `code`:
 * `https://t.me/<bot>?start=<code>`, `viber://pa?chatURI=<uri>&context=<code>`,
 * `https://wa.me/<digits>?text=<message> <XXXX-XXXX-XXXX-XXXX>`, `https://m.me/<page>?ref=<code>`.
 * The handles were checked by the settings schema and the code is base32, so only the
 * WhatsApp text needs encoding.
 */
export function widgetButtons(widget: WidgetSettings, code: string): WidgetButton[] {
  const hrefs: Record<WidgetMessenger, string | undefined> = {
    telegram: widget.telegram && `https://t.me/${widget.telegram.bot}?start=${code}`,
    viber: widget.viber && `viber://pa?chatURI=${widget.viber.uri}&context=${code}`,
    whatsapp:
      widget.whatsapp &&
      `https://wa.me/${widget.whatsapp.number.replace(/^\+/, '')}?text=${encodeURIComponent(whatsAppText(widget.whatsapp.message, code))}`,
    messenger: widget.messenger && `https://m.me/${widget.messenger.page}?ref=${code}`,
  };
  return WIDGET_MESSENGERS.flatMap((messenger) => {
    const href = hrefs[messenger];
    return href === undefined ? [] : [{ messenger, label: `Get updates on ${MESSENGER_NAMES[messenger]}`, href }];
  });
}

/** What the WhatsApp link prefills: the widget's message, then the code as a person reads it. */
export function whatsAppText(message: string, code: string): string {
  return `${message} ${displayWidgetCode(code)}`;
}
