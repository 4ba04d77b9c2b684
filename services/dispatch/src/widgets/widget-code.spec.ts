import { displayWidgetCode } from '@nudge/channel-rules';
import { mintWidgetCode, verifyWidgetCode } from './widget-code';

const SECRET = 'widget-link-secret-0123456789';
const random = Buffer.from('0123456789abcdef');

describe('widget codes', () => {
  it('mints a 16-character code whose first ten are the row id, fitting every deep link', () => {
    const { id, code } = mintWidgetCode(SECRET, random);
    expect(code).toMatch(/^[0-9A-HJKMNP-TV-Z]{16}$/);
    expect(code.startsWith(id)).toBe(true);
    expect(id).toHaveLength(10);
  });

  it('is deterministic for the same random bytes, different for others', () => {
    expect(mintWidgetCode(SECRET, random)).toEqual(mintWidgetCode(SECRET, random));
    expect(mintWidgetCode(SECRET, Buffer.from('1123456789abcdef')).code).not.toBe(mintWidgetCode(SECRET, random).code);
  });

  it('verifies its own code, however a person typed it', () => {
    const { id, code } = mintWidgetCode(SECRET, random);
    expect(verifyWidgetCode([SECRET], code)).toEqual({ ok: true, id });
    expect(verifyWidgetCode([SECRET], displayWidgetCode(code).toLowerCase())).toEqual({ ok: true, id });
  });

  it('verifies a code of a previous secret still listed, and refuses it once that secret is gone', () => {
    const { code } = mintWidgetCode('previous-secret-0123456789', random);
    expect(verifyWidgetCode([SECRET, 'previous-secret-0123456789'], code).ok).toBe(true);
    expect(verifyWidgetCode([SECRET], code).ok).toBe(false);
  });

  it.each([
    ['a changed id', (code: string) => `${code[0] === 'A' ? 'B' : 'A'}${code.slice(1)}`],
    ['a changed MAC', (code: string) => `${code.slice(0, 15)}${code[15] === 'A' ? 'B' : 'A'}`],
    ['a shortened code', (code: string) => code.slice(0, 15)],
    ['garbage', () => '../../etc/passwd'],
    ['nothing', () => ''],
  ])('refuses %s', (_case, tamper) => {
    const { code } = mintWidgetCode(SECRET, random);
    expect(verifyWidgetCode([SECRET], tamper(code))).toEqual({ ok: false });
  });

  it('refuses every code when no secret is configured', () => {
    expect(verifyWidgetCode([], mintWidgetCode(SECRET, random).code)).toEqual({ ok: false });
  });
});
