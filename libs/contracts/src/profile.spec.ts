import { emptyProfile, mergeProfile, profileUpdateSchema } from './profile';

const change = { at: '2026-11-24T10:00:00.000Z', source: 'api' };

describe('mergeProfile', () => {
  it('merges attributes key by key and keeps what the update does not name', () => {
    const first = mergeProfile(emptyProfile('u1', change.at), { attributes: { firstName: 'Ana', tier: 'gold' } }, change);
    const second = mergeProfile(first, { attributes: { tier: 'silver' }, timezone: 'Europe/Madrid' }, change);
    expect(second.attributes).toEqual({ firstName: 'Ana', tier: 'silver' });
    expect(second.timezone).toBe('Europe/Madrid');
    expect(second.version).toBe(2);
  });

  it('clears a field set to null', () => {
    const withZone = mergeProfile(emptyProfile('u1', change.at), { timezone: 'Europe/Madrid' }, change);
    expect(mergeProfile(withZone, { timezone: null }, change).timezone).toBeUndefined();
  });

  it('records when and from where each consent value changed (proof of opt-in)', () => {
    const optedIn = mergeProfile(
      emptyProfile('u1', change.at),
      { channels: { sms: { address: '+34600000001', consent: { marketing: true } } } },
      change,
    );
    expect(optedIn.channels.sms?.consentLog?.marketing).toEqual({ value: true, at: change.at, source: 'api' });
    const later = { at: '2026-11-25T09:00:00.000Z', source: 'inbound:STOP' };
    const optedOut = mergeProfile(optedIn, { channels: { sms: { consent: { marketing: false } } } }, later);
    expect(optedOut.channels.sms).toMatchObject({
      address: '+34600000001',
      consent: { marketing: false },
      consentLog: { marketing: { value: false, ...later } },
    });
  });

  it('does not log a consent value that did not change', () => {
    const once = mergeProfile(emptyProfile('u1', change.at), { channels: { sms: { consent: { marketing: true } } } }, change);
    const again = mergeProfile(
      once,
      { channels: { sms: { consent: { marketing: true } } } },
      { at: '2027-01-01T00:00:00.000Z', source: 'import' },
    );
    expect(again.channels.sms?.consentLog?.marketing?.at).toBe(change.at);
  });
});

describe('profileUpdateSchema', () => {
  it.each([
    [{ timezone: 'Mars/Olympus' }, 'timezone'],
    [{ country: 'Spain' }, 'country'],
    [{ channels: { pigeon: { address: 'x' } } }, 'channels.pigeon'],
    [{ channels: { sms: { consent: { marketing: 'yes' } } } }, 'channels.sms.consent.marketing'],
    [{ nickname: 'x' }, ''],
  ])('rejects %j at %s', (update, path) => {
    const result = profileUpdateSchema.safeParse(update);
    expect(result.success).toBe(false);
    expect(result.error?.issues.map((i) => i.path.join('.'))).toContain(path);
  });
});
