import type { Response } from 'express';
import { sendRecipientPage } from './recipient-page-response';

/** The headers, status and body a page was sent with. */
function sent(send: (response: Response) => void) {
  const headers: Record<string, string> = {};
  const out = { status: 0, type: '', body: '' };
  const response = {
    setHeader: (name: string, value: string) => void (headers[name] = value),
    status(code: number) {
      out.status = code;
      return this;
    },
    type(type: string) {
      out.type = type;
      return this;
    },
    send(body: string) {
      out.body = body;
      return this;
    },
  };
  send(response as unknown as Response);
  return { headers, ...out };
}

describe('sendRecipientPage', () => {
  it('sends a link page uncached, unframed, without Referer, its forms posting to this origin only', () => {
    expect(sent((r) => sendRecipientPage(r, { status: 200, html: '<p>hi</p>' }))).toEqual({
      headers: {
        'cache-control': 'no-store',
        'referrer-policy': 'no-referrer',
        'x-robots-tag': 'noindex',
        'content-security-policy': "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; frame-ancestors 'none'",
      },
      status: 200,
      type: 'html',
      body: '<p>hi</p>',
    });
  });

  it('frames a widget page where its settings allow, with no form, and tells a 429 or 503 when to come back', () => {
    const widget = { formAction: "'none'", frameAncestors: 'https://shop.example' };
    const busy = sent((r) => sendRecipientPage(r, { status: 429, html: '' }, widget));
    expect(busy.headers['content-security-policy']).toBe(
      "default-src 'none'; style-src 'unsafe-inline'; form-action 'none'; frame-ancestors https://shop.example",
    );
    expect(busy.headers['retry-after']).toBe('60');
    expect(sent((r) => sendRecipientPage(r, { status: 503, html: '' })).headers['retry-after']).toBe('60');
    expect(sent((r) => sendRecipientPage(r, { status: 400, html: '' })).headers['retry-after']).toBeUndefined();
  });
});
