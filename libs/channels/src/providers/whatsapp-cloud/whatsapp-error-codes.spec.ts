import { whatsappRefusal } from './whatsapp-error-codes';

describe('whatsappRefusal', () => {
  it.each([
    ['rate limit hit (130429)', 400, 130429, 'transient'],
    ['API too many calls (4)', 400, 4, 'transient'],
    ['rate limit issues (80007)', 400, 80007, 'transient'],
    ['pair rate limit (131056)', 400, 131056, 'transient'],
    ['service unavailable (131016)', 503, 131016, 'transient'],
    ['any code on a 5xx', 500, 100, 'transient'],
    ['re-engagement (131047)', 400, 131047, 'permanent'],
    ['invalid or expired token (190)', 401, 190, 'permanent'],
    ['invalid parameter (100)', 400, 100, 'permanent'],
    ['unknown template (132001)', 404, 132001, 'permanent'],
  ] as const)('%s is %s', (_behaviour, status, code, kind) => {
    expect(whatsappRefusal(status, { message: 'm', code }).kind).toBe(kind);
  });

  it("keeps Meta's message, codes and details, and says why a re-engagement refusal happens", () => {
    const error = whatsappRefusal(400, {
      message: '(#131047) Re-engagement message',
      code: 131047,
      error_subcode: 2494010,
      error_data: { details: 'Message failed to send.' },
    });
    expect(error.message).toBe(
      'WhatsApp refused the message: (#131047) Re-engagement message (code 131047, subcode 2494010): Message failed to send. (more than 24 hours have passed since the customer last wrote; only a template may be sent)',
    );
  });

  it('an unreadable answer passes on 429 and 5xx, and is for good otherwise', () => {
    expect(whatsappRefusal(429, undefined)).toMatchObject({
      kind: 'transient',
      message: 'WhatsApp answered HTTP 429 with an unreadable body',
    });
    expect(whatsappRefusal(400, undefined)).toMatchObject({
      kind: 'permanent',
      message: 'WhatsApp answered HTTP 400 with an unreadable body',
    });
  });
});
