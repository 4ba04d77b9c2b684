import type { Category } from '@nudge/contracts';
import { messengerSendPolicy } from './messenger-window';

const now = new Date('2026-11-24T10:00:00Z');
const hoursAgo = (hours: number) => new Date(now.getTime() - hours * 3_600_000);

describe('messengerSendPolicy', () => {
  it.each<[string, Category, Date | undefined, ReturnType<typeof messengerSendPolicy>]>([
    ['marketing, user wrote 1 h ago', 'marketing', hoursAgo(1), { outcome: 'send', messagingType: 'RESPONSE' }],
    ['marketing, user wrote exactly 24 h ago', 'marketing', hoursAgo(24), { outcome: 'send', messagingType: 'RESPONSE' }],
    ['transactional, user wrote 2 h ago', 'transactional', hoursAgo(2), { outcome: 'send', messagingType: 'RESPONSE' }],
    [
      'marketing, user wrote 25 h ago',
      'marketing',
      hoursAgo(25),
      {
        outcome: 'refused',
        reason:
          "outside Messenger's 24 h standard messaging window: marketing messages are not allowed (the user last wrote at 2026-11-23T09:00:00.000Z)",
      },
    ],
    [
      'marketing, user never wrote',
      'marketing',
      undefined,
      {
        outcome: 'refused',
        reason: "outside Messenger's 24 h standard messaging window: marketing messages are not allowed (the user has never written)",
      },
    ],
    [
      'transactional, user wrote 3 days ago',
      'transactional',
      hoursAgo(72),
      { outcome: 'send', messagingType: 'MESSAGE_TAG', tag: 'ACCOUNT_UPDATE' },
    ],
    [
      'transactional, user never wrote',
      'transactional',
      undefined,
      { outcome: 'send', messagingType: 'MESSAGE_TAG', tag: 'ACCOUNT_UPDATE' },
    ],
  ])('%s', (_case, category, lastInboundAt, expected) => {
    expect(messengerSendPolicy({ category, lastInboundAt, now })).toEqual(expected);
  });
});
