import { validateSettings } from './settings.schema';

describe('settings doubleOptIn', () => {
  it('accepts a confirmation per channel (SMS by reply, e-mail by link)', () => {
    const verdict = validateSettings({
      doubleOptIn: {
        sms: { body: 'Reply YES to get offers from ACME.' },
        email: { subject: 'Confirm your subscription', body: 'Confirm here: {{ confirm_url }}' },
      },
    });
    expect(verdict.ok).toBe(true);
  });

  it('defaults to none: no channel sends a confirmation', () => {
    const verdict = validateSettings({});
    expect(verdict.ok && verdict.settings.doubleOptIn).toEqual({});
  });

  it.each<[string, unknown, string, string]>([
    [
      'an e-mail without the link',
      { email: { subject: 'Confirm', body: 'Welcome!' } },
      'doubleOptIn.email.body',
      'must contain {{ confirm_url }}',
    ],
    ['an e-mail without a subject', { email: { body: '{{ confirm_url }}' } }, 'doubleOptIn.email.subject', 'is required for e-mail'],
    ['an empty body', { sms: { body: ' ' } }, 'doubleOptIn.sms.body', 'must not be empty'],
    ['an unknown channel', { fax: { body: 'Reply YES' } }, 'doubleOptIn.fax', ''],
    ['an unknown field', { sms: { body: 'Reply YES', bodyHtml: '<p>' } }, 'doubleOptIn.sms', ''],
  ])('refuses %s, naming %s', (_label, doubleOptIn, path, message) => {
    const verdict = validateSettings({ doubleOptIn });
    expect(verdict.ok).toBe(false);
    if (verdict.ok) return;
    expect(verdict.errors).toEqual(expect.arrayContaining([expect.objectContaining({ path, message: expect.stringContaining(message) })]));
  });
});
