import { canonicalWidgetCode, displayWidgetCode, widgetCodeIn } from './widget-codes';

describe('widget codes', () => {
  it.each([
    ['K3P9ZQ4M7TXW2HRB', 'K3P9ZQ4M7TXW2HRB'],
    ['k3p9zq4m7txw2hrb', 'K3P9ZQ4M7TXW2HRB'],
    ['K3P9-ZQ4M-7TXW-2HRB', 'K3P9ZQ4M7TXW2HRB'],
    ['K3P9 ZQ4M 7TXW 2HRB', 'K3P9ZQ4M7TXW2HRB'],
    // Letters that look like digits are read as those digits.
    ['K3P9ZQ4MOTXWIHRL', 'K3P9ZQ4M0TXW1HR1'],
  ])('%s is the code %s', (raw, canonical) => {
    expect(canonicalWidgetCode(raw)).toBe(canonical);
  });

  it.each([
    ['too short', 'K3P9ZQ4M7TXW2HR'],
    ['too long', 'K3P9ZQ4M7TXW2HRBB'],
    ['U is not in the alphabet', 'K3P9ZQ4M7TXW2HRU'],
    ['punctuation', 'K3P9ZQ4M7TXW2H_B'],
    ['far too long to be looked at', 'A'.repeat(10_000)],
  ])('refuses %s', (_case, raw) => {
    expect(canonicalWidgetCode(raw)).toBeUndefined();
  });

  it('displays a code in four groups of four', () => {
    expect(displayWidgetCode('K3P9ZQ4M7TXW2HRB')).toBe('K3P9-ZQ4M-7TXW-2HRB');
  });

  it.each([
    ['the prefilled text', 'Subscribe me to ACME offers K3P9-ZQ4M-7TXW-2HRB', 'K3P9ZQ4M7TXW2HRB'],
    ['the code alone, typed in lower case', 'k3p9-zq4m-7txw-2hrb', 'K3P9ZQ4M7TXW2HRB'],
    ['the code on its own line', 'hello\nK3P9-ZQ4M-7TXW-2HRB\nthanks', 'K3P9ZQ4M7TXW2HRB'],
    ['no dashes: an order number, not a code', 'my order K3P9ZQ4M7TXW2HRB never came', undefined],
    ['a longer dashed run', 'ref K3P9-ZQ4M-7TXW-2HRB-AAAA', undefined],
    ['an ordinary reply', 'STOP', undefined],
  ])('finds the code in %s', (_case, text, code) => {
    expect(widgetCodeIn(text)).toBe(code);
  });
});
