import type { Category, Channel } from '@nudge/contracts';
import { capVerdict, longestCapWindow, type CapCandidate, type FrequencyCaps, type LedgerEntry } from './frequency-caps';

const at = new Date('2026-11-24T10:00:00.000Z');
const HOUR = 60 * 60 * 1000;
const DAY = 24 * HOUR;

function aCandidate(overrides: Partial<CapCandidate> = {}): CapCandidate {
  return { campaignId: 'cart-abandon', channel: 'sms', category: 'marketing', at, ...overrides };
}

/** A send `msAgo` before `at`, of the candidate's campaign on SMS unless said otherwise. */
function aSend(msAgo: number, overrides: Partial<Omit<LedgerEntry, 'sentAt'>> = {}): LedgerEntry {
  return { campaignId: 'cart-abandon', channel: 'sms', category: 'marketing', sentAt: new Date(at.getTime() - msAgo), ...overrides };
}

const sends = (count: number, overrides: Partial<Omit<LedgerEntry, 'sentAt'>> = {}) =>
  Array.from({ length: count }, (_, i) => aSend((i + 1) * HOUR, overrides));

function caps(overrides: Partial<FrequencyCaps>): FrequencyCaps {
  return { campaign: [], global: [], ...overrides };
}

const global = (category: Category | 'any', channel: Channel | 'any', max: number, per: string) => ({ category, channel, max, per });

describe('capVerdict', () => {
  describe('rolling windows', () => {
    const threePerWeek = caps({ campaign: [{ max: 3, per: 'P7D' }] });
    it.each<[string, LedgerEntry[], boolean]>([
      ['no sends yet: allowed', [], true],
      ['one below the limit (2 of 3 sent): allowed', sends(2), true],
      ['exactly at the limit (3 of 3 sent): the 4th is capped', sends(3), false],
      ['over the limit (4 of 3 sent): capped', sends(4), false],
      ['a send exactly `per` ago no longer counts', [...sends(2), aSend(7 * DAY)], true],
      ['a send 1 ms less than `per` ago still counts', [...sends(2), aSend(7 * DAY - 1)], false],
      ['a send at the very instant of the candidate counts', [...sends(2), aSend(0)], false],
      ['a send recorded later than the candidate (clock skew) counts', [...sends(2), aSend(-1)], false],
    ])('%s', (_behaviour, ledger, allowed) => {
      expect(capVerdict(aCandidate(), ledger, threePerWeek).allowed).toBe(allowed);
    });
  });

  describe('which sends count and which caps apply', () => {
    it.each<[string, CapCandidate, LedgerEntry[], FrequencyCaps, boolean]>([
      // campaign caps
      [
        'a campaign cap counts only its own campaign',
        aCandidate(),
        sends(3, { campaignId: 'other' }),
        caps({ campaign: [{ max: 1, per: 'P1D' }] }),
        true,
      ],
      [
        'a campaign cap counts its campaign on every channel',
        aCandidate(),
        sends(1, { channel: 'whatsapp' }),
        caps({ campaign: [{ max: 1, per: 'P1D' }] }),
        false,
      ],
      [
        'a campaign cap applies to a transactional campaign',
        aCandidate({ category: 'transactional' }),
        sends(1, { category: 'transactional' }),
        caps({ campaign: [{ max: 1, per: 'P1D' }] }),
        false,
      ],
      // global caps: category
      [
        'a global marketing cap counts every campaign',
        aCandidate(),
        sends(3, { campaignId: 'other' }),
        caps({ global: [global('marketing', 'any', 3, 'P7D')] }),
        false,
      ],
      [
        'transactional is exempt from a global marketing cap',
        aCandidate({ category: 'transactional' }),
        sends(5),
        caps({ global: [global('marketing', 'any', 3, 'P7D')] }),
        true,
      ],
      [
        'transactional is exempt from a global cap of any category',
        aCandidate({ category: 'transactional' }),
        sends(5, { category: 'transactional' }),
        caps({ global: [global('any', 'any', 3, 'P7D')] }),
        true,
      ],
      [
        'a global cap naming transactional applies to transactional',
        aCandidate({ category: 'transactional' }),
        sends(3, { category: 'transactional' }),
        caps({ global: [global('transactional', 'any', 3, 'P7D')] }),
        false,
      ],
      [
        'a global cap naming transactional does not apply to marketing',
        aCandidate(),
        sends(3, { category: 'transactional' }),
        caps({ global: [global('transactional', 'any', 3, 'P7D')] }),
        true,
      ],
      [
        'a global marketing cap does not count transactional sends',
        aCandidate(),
        sends(3, { category: 'transactional' }),
        caps({ global: [global('marketing', 'any', 3, 'P7D')] }),
        true,
      ],
      [
        'a global cap of any category counts transactional sends towards marketing',
        aCandidate(),
        sends(3, { category: 'transactional' }),
        caps({ global: [global('any', 'any', 3, 'P7D')] }),
        false,
      ],
      // global caps: channel
      ['a global SMS cap caps an SMS send', aCandidate(), sends(1), caps({ global: [global('marketing', 'sms', 1, 'P1D')] }), false],
      [
        'a global SMS cap does not apply to a WhatsApp send',
        aCandidate({ channel: 'whatsapp' }),
        sends(1),
        caps({ global: [global('marketing', 'sms', 1, 'P1D')] }),
        true,
      ],
      [
        'a global SMS cap does not count WhatsApp sends',
        aCandidate(),
        sends(2, { channel: 'whatsapp' }),
        caps({ global: [global('marketing', 'sms', 1, 'P1D')] }),
        true,
      ],
      [
        'a global cap on any channel counts every channel',
        aCandidate({ channel: 'email' }),
        [aSend(HOUR, { channel: 'sms' }), aSend(HOUR, { channel: 'whatsapp' })],
        caps({ global: [global('marketing', 'any', 2, 'P1D')] }),
        false,
      ],
      [
        'a global cap of max 0 refuses every matching send',
        aCandidate(),
        [],
        caps({ global: [global('marketing', 'sms', 0, 'P1D')] }),
        false,
      ],
      // the user's own limit
      [
        'the user limit caps marketing at maxPerWeek',
        aCandidate(),
        sends(2, { campaignId: 'other', channel: 'email' }),
        caps({ userMaxPerWeek: 2 }),
        false,
      ],
      ['the user limit allows one below maxPerWeek', aCandidate(), sends(1), caps({ userMaxPerWeek: 2 }), true],
      ['the user limit counts a rolling week', aCandidate(), [aSend(HOUR), aSend(7 * DAY)], caps({ userMaxPerWeek: 2 }), true],
      [
        'the user limit does not count transactional sends',
        aCandidate(),
        sends(2, { category: 'transactional' }),
        caps({ userMaxPerWeek: 2 }),
        true,
      ],
      [
        'the user limit does not apply to transactional',
        aCandidate({ category: 'transactional' }),
        sends(5),
        caps({ userMaxPerWeek: 2 }),
        true,
      ],
      ['a user limit of 0 refuses all marketing', aCandidate(), [], caps({ userMaxPerWeek: 0 }), false],
    ])('%s', (_behaviour, candidate, ledger, frequencyCaps, allowed) => {
      expect(capVerdict(candidate, ledger, frequencyCaps).allowed).toBe(allowed);
    });
  });

  describe('the reason names the cap and the evidence', () => {
    it.each<[string, FrequencyCaps, LedgerEntry[], string]>([
      [
        'a global cap',
        caps({ global: [global('marketing', 'any', 3, 'P7D')] }),
        sends(3),
        'capped by global marketing cap 3 per P7D (channel any): 3 sent since 2026-11-17T10:00:00.000Z',
      ],
      [
        'a global cap of any category',
        caps({ global: [global('any', 'sms', 1, 'PT12H')] }),
        sends(1),
        'capped by global any-category cap 1 per PT12H (channel sms): 1 sent since 2026-11-23T22:00:00.000Z',
      ],
      [
        'a campaign cap',
        caps({ campaign: [{ max: 1, per: 'P1D' }] }),
        sends(1),
        'capped by campaign cap 1 per P1D: 1 sent since 2026-11-23T10:00:00.000Z',
      ],
      [
        "the user's limit",
        caps({ userMaxPerWeek: 2 }),
        sends(2),
        "capped by the user's preference of at most 2 per week: 2 sent since 2026-11-17T10:00:00.000Z",
      ],
    ])('%s', (_behaviour, frequencyCaps, ledger, reason) => {
      expect(capVerdict(aCandidate(), ledger, frequencyCaps)).toMatchObject({ allowed: false, reason });
    });

    it('returns the cap, the count and the window start as data', () => {
      const verdict = capVerdict(
        aCandidate(),
        sends(1),
        caps({ global: [global('marketing', 'any', 5, 'P7D'), global('marketing', 'sms', 1, 'P1D')] }),
      );
      expect(verdict).toEqual({
        allowed: false,
        cap: { scope: 'global', index: 1, category: 'marketing', channel: 'sms', max: 1, per: 'P1D' },
        sent: 1,
        since: new Date('2026-11-23T10:00:00.000Z'),
        reason: expect.any(String),
      });
    });
  });

  describe('when several caps are exceeded, the first is reported', () => {
    const everyCapExceeded = sends(3);
    it.each<[string, FrequencyCaps, object]>([
      [
        'campaign before global and user',
        caps({ userMaxPerWeek: 1, global: [global('marketing', 'any', 1, 'P7D')], campaign: [{ max: 1, per: 'P1D' }] }),
        { scope: 'campaign', per: 'P1D' },
      ],
      ['global before user', caps({ userMaxPerWeek: 1, global: [global('marketing', 'any', 1, 'P7D')] }), { scope: 'global', index: 0 }],
      [
        'global caps in settings order',
        caps({
          global: [global('marketing', 'whatsapp', 1, 'P7D'), global('marketing', 'sms', 2, 'P1D'), global('marketing', 'any', 1, 'P7D')],
        }),
        { scope: 'global', index: 1, channel: 'sms' },
      ],
      [
        'a later cap when the first is not exceeded',
        caps({ userMaxPerWeek: 2, campaign: [{ max: 5, per: 'P1D' }] }),
        { scope: 'user', max: 2, per: 'P7D' },
      ],
    ])('%s', (_behaviour, frequencyCaps, cap) => {
      expect(capVerdict(aCandidate(), everyCapExceeded, frequencyCaps)).toMatchObject({ allowed: false, cap });
    });
  });
});

describe('longestCapWindow', () => {
  it.each<[string, FrequencyCaps, number]>([
    ['no caps: nothing to load', caps({}), 0],
    [
      'the longest of campaign and global caps',
      caps({ campaign: [{ max: 1, per: 'P1D' }], global: [global('marketing', 'any', 3, 'P14D')] }),
      14 * DAY,
    ],
    ["the user's limit needs a week", caps({ campaign: [{ max: 1, per: 'PT12H' }], userMaxPerWeek: 3 }), 7 * DAY],
  ])('%s', (_behaviour, frequencyCaps, millis) => {
    expect(longestCapWindow(frequencyCaps)).toBe(millis);
  });
});
