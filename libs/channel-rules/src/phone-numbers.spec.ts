import { senderAddress, toE164 } from './phone-numbers';

describe('toE164', () => {
  it.each([
    ['an E.164 number stays as it is', '+34600000001', undefined, '+34600000001'],
    ['spaces and dashes are dropped', '+34 600-000-001', undefined, '+34600000001'],
    ['a national number is read in the recipient country', '600 000 001', 'ES', '+34600000001'],
    ['a trunk prefix is dropped', '06 00 00 00 01', 'FR', '+33600000001'],
    ['an international number ignores the recipient country', '+442079460000', 'ES', '+442079460000'],
    ['an unknown region is ignored', '+34600000001', 'XX', '+34600000001'],
  ])('%s', (_behaviour, raw, region, e164) => {
    expect(toE164(raw, region)).toEqual({ ok: true, e164 });
  });

  it.each([
    ['a national number without a country', '600000001', undefined, /it has no country code and the recipient has no country/],
    ['too few digits', '+34600', undefined, /not a valid number/],
    ['a number outside the country plan', '+15551234567', undefined, /not a valid number/],
    ['a national number invalid in the recipient country', '12345', 'ES', /not a valid number \(read in ES\)/],
    ['no digits at all', 'call me', 'ES', /it has no digits/],
  ])('refuses %s, saying why', (_behaviour, raw, region, reason) => {
    const verdict = toE164(raw, region);
    expect(verdict.ok).toBe(false);
    expect(verdict.ok ? '' : verdict.reason).toMatch(new RegExp(`^invalid phone number "${raw.replace('+', '\\+')}": ${reason.source}`));
  });
});

describe('toE164, asked again', () => {
  it('answers the same verdicts from its memory, per region', () => {
    for (let i = 0; i < 3; i++) {
      expect(toE164('600 000 001', 'ES')).toEqual({ ok: true, e164: '+34600000001' });
      expect(toE164('600 000 001', 'FR')).toEqual({ ok: true, e164: '+33600000001' });
      expect(toE164('600 000 001')).toMatchObject({ ok: false, reason: expect.stringMatching(/no country code/) });
    }
  });

  it('hands out verdicts no caller can change for the next one', () => {
    const first = toE164('+34600000001');
    expect(() => Object.assign(first, { e164: '+1' })).toThrow(TypeError);
    expect(toE164('+34600000001')).toEqual({ ok: true, e164: '+34600000001' });
  });

  it('still judges numbers right after remembering more than it keeps', () => {
    for (let n = 0; n < 12_000; n++) toE164(`+3461${String(n).padStart(7, '0')}`);
    expect(toE164('+34 600 000 001')).toEqual({ ok: true, e164: '+34600000001' });
    expect(toE164(`+34 ${'6'.repeat(60)}`)).toMatchObject({ ok: false });
  });
});

describe('senderAddress', () => {
  it.each([
    ['sms', '+34 600 000 001', '+34600000001'],
    ['whatsapp', '34600000001', '+34600000001'],
    ['whatsapp', 'whatsapp:+34600000001', '+34600000001'],
    ['sms', 'ACME', 'ACME'],
    ['telegram', ' 123456789 ', '123456789'],
    ['email', 'ana@example.com', 'ana@example.com'],
  ] as const)('on %s, %s is stored as %s', (channel, from, address) => {
    expect(senderAddress(channel, from)).toBe(address);
  });
});
