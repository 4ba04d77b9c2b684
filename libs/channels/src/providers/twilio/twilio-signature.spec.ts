import { isTwilioSignatureValid, twilioSignature } from './twilio-signature';

// The example of Twilio's webhook security documentation (and of its helper libraries' tests).
const AUTH_TOKEN = '12345';
const URL_CALLED = 'https://mycompany.com/myapp.php?foo=1&bar=2';
const params = new URLSearchParams({
  CallSid: 'CA1234567890ABCDE',
  Caller: '+12349013030',
  Digits: '1234',
  From: '+12349013030',
  To: '+18005551212',
});
const DOCUMENTED_SIGNATURE = '0/KCTR6DLpKmkAf8muzZqo1nDgQ=';

describe('twilioSignature', () => {
  it("computes the signature of Twilio's documented example", () => {
    expect(twilioSignature(AUTH_TOKEN, URL_CALLED, params)).toBe(DOCUMENTED_SIGNATURE);
  });

  it('does not depend on the order the parameters arrived in', () => {
    const shuffled = new URLSearchParams([...params.entries()].reverse());
    expect(twilioSignature(AUTH_TOKEN, URL_CALLED, shuffled)).toBe(DOCUMENTED_SIGNATURE);
  });

  it('accepts the documented signature and refuses a changed parameter, URL, token or a missing header', () => {
    expect(isTwilioSignatureValid(AUTH_TOKEN, URL_CALLED, params, DOCUMENTED_SIGNATURE)).toBe(true);
    const tampered = new URLSearchParams(params);
    tampered.set('Digits', '1235');
    expect(isTwilioSignatureValid(AUTH_TOKEN, URL_CALLED, tampered, DOCUMENTED_SIGNATURE)).toBe(false);
    expect(isTwilioSignatureValid(AUTH_TOKEN, 'https://mycompany.com/myapp.php?foo=1&bar=3', params, DOCUMENTED_SIGNATURE)).toBe(false);
    expect(isTwilioSignatureValid('54321', URL_CALLED, params, DOCUMENTED_SIGNATURE)).toBe(false);
    expect(isTwilioSignatureValid(AUTH_TOKEN, URL_CALLED, params, undefined)).toBe(false);
    expect(isTwilioSignatureValid(AUTH_TOKEN, URL_CALLED, params, 'short')).toBe(false);
  });
});
