import { decideWidgetBinding, type WidgetTokenRow } from './widget-binding';

const NOW = new Date('2026-12-03T12:00:00Z');
const aRow = (fields: Partial<WidgetTokenRow> = {}): WidgetTokenRow => ({
  id: 'K3P9ZQ4M7T',
  widgetId: 'shop',
  userId: 'u1',
  anonymous: false,
  expiresAt: new Date('2026-12-04T12:00:00Z'),
  bindings: {},
  ...fields,
});
const claimed = (address: string, bound: boolean) => ({ telegram: { address, at: '2026-12-03T11:00:00.000Z', bound } });

describe('decideWidgetBinding', () => {
  it.each([
    ['a live code no chat used binds', aRow(), 'bind'],
    [
      'a code used by this chat on another channel binds on this one',
      aRow({ bindings: { viber: { address: 'v1', at: 'x', bound: true } } }),
      'bind',
    ],
    ['the same chat again binds once', aRow({ bindings: claimed('42', true) }), 'already_bound'],
    ['the same chat after a failed publish records its consent now', aRow({ bindings: claimed('42', false) }), 'resume'],
    [
      '… even past the expiry: the claim was made in time',
      aRow({ bindings: claimed('42', false), expiresAt: new Date('2026-12-01T00:00:00Z') }),
      'resume',
    ],
    ['another chat of the channel is refused', aRow({ bindings: claimed('43', true) }), 'taken'],
    ['an expired code is refused', aRow({ expiresAt: NOW }), 'expired'],
    ['no row is refused', null, 'unknown'],
  ])('%s', (_case, row, outcome) => {
    expect(decideWidgetBinding(row, 'telegram', '42', NOW).outcome).toBe(outcome);
  });
});
