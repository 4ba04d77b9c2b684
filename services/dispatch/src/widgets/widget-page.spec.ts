import { widgetsSchema } from '@nudge/settings';
import { widgetButtons } from './widget-links';
import { escapeHtml, widgetEmbedScript, widgetPage } from './widget-page';

const CODE = 'K3P9ZQ4M7TXW2HRB';
const widget = widgetsSchema.parse({
  shop: {
    title: 'Offers <b>& news</b>',
    text: 'At most one message a week. "Stop" at any time.',
    telegram: { bot: 'acme_bot' },
    whatsapp: { number: '+34600000000' },
  },
}).shop!;

describe('widgetPage', () => {
  const html = widgetPage(widget, widgetButtons(widget, CODE), CODE).html;

  it('shows the title and text escaped, never as markup', () => {
    expect(html).toContain('<h1>Offers &#60;b&#62;&#38; news&#60;/b&#62;</h1>');
    expect(html).toContain('&#34;Stop&#34; at any time.');
    expect(html).not.toContain('<b>');
  });

  it('links each messenger with its deep link, opening outside the frame without an opener', () => {
    expect(html).toContain(
      `<a class="button telegram" href="https://t.me/acme_bot?start=${CODE}" target="_blank" rel="noopener noreferrer">Get updates on Telegram</a>`,
    );
    expect(html).toContain('href="https://wa.me/34600000000?text=Please%20send%20me%20updates.%20My%20code%3A%20K3P9-ZQ4M-7TXW-2HRB"');
  });

  it('writes the WhatsApp code out for a visitor on another device, and carries no script', () => {
    expect(html).toContain('send the code <strong>K3P9-ZQ4M-7TXW-2HRB</strong> to +34600000000');
    expect(html).not.toMatch(/<script/i);
  });

  it('escapes every character that could end an attribute or open a tag', () => {
    expect(escapeHtml(`<a href="x" onclick='y'>&</a>`)).toBe('&#60;a href=&#34;x&#34; onclick=&#39;y&#39;&#62;&#38;&#60;/a&#62;');
  });
});

describe('widgetEmbedScript', () => {
  it('frames the page with the script query, the URL and title as JSON strings', () => {
    const script = widgetEmbedScript('https://nudge.example/w/shop', 'Offers "now"</script>');
    expect(script).toContain('frame.src = "https://nudge.example/w/shop" + query;');
    expect(script).toContain('frame.title = "Offers \\"now\\"</script>";');
  });
});
