import { DEFAULT_SETTINGS } from '@nudge/settings';
import { KEYWORD_REPLY_CAMPAIGN } from '../messages/message';
import { keywordReply, keywordReplySendId, type KeywordReplyInput } from './keyword-reply';

const input: KeywordReplyInput = {
  provider: 'twilio',
  channel: 'sms',
  to: '+34600000301',
  intent: 'stop',
  inboundId: 'SM123',
  userId: 'address:sms:+34600000301',
  replies: DEFAULT_SETTINGS.keywords,
  at: '2026-12-03T14:00:00.000Z',
};

describe('keywordReply', () => {
  it('is a queued transactional message to the sender with the settings text for its keyword', () => {
    const reply = keywordReply(input, 'twilio');
    expect(reply).toMatchObject({
      provider: 'twilio',
      recipient: '+34600000301',
      status: 'queued',
      body: DEFAULT_SETTINGS.keywords.stopReply,
      segments: 1,
      request: { campaignId: KEYWORD_REPLY_CAMPAIGN, category: 'transactional', channel: 'sms', to: '+34600000301', stepId: 'stop' },
    });
    const start = keywordReply({ ...input, intent: 'start', replies: { stopReply: 'bye', startReply: 'welcome back' } }, 'twilio');
    expect(start.body).toBe('welcome back');
  });

  it('derives its send id from the inbound message: a redelivery is the same send, another message another', () => {
    expect(keywordReply(input, 'twilio').request.sendId).toBe(
      keywordReply({ ...input, at: '2026-12-03T15:00:00.000Z' }, 'twilio').request.sendId,
    );
    expect(keywordReplySendId('twilio', 'SM123')).not.toBe(keywordReplySendId('twilio', 'SM124'));
    expect(keywordReplySendId('twilio', 'SM123')).not.toBe(keywordReplySendId('messagebird', 'SM123'));
  });
});
