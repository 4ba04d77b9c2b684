import { aCampaign } from '@nudge/campaigns/testing';
import { emptyProfile, type EventEnvelope, type Profile } from '@nudge/contracts';
import type { SendVerdict } from '@nudge/decisions';
import { effectsOfSendVerdict } from './send-verdict';
import type { PendingSend } from './vocabulary';

const now = new Date('2026-11-23T10:00:00.000Z');
const later = new Date('2026-11-23T18:00:00.000Z');
const event: EventEnvelope = {
  eventId: 'e1',
  userId: 'ana',
  name: 'cart_abandoned',
  timestamp: now.toISOString(),
  receivedAt: now.toISOString(),
  properties: { cartId: 'c1' },
  context: {},
};
const send: PendingSend = {
  sendId: 'snd_1',
  userId: 'ana',
  campaignId: 'cart',
  campaignVersion: 3,
  triggerEventId: 'e1',
  stepId: 'main',
  dueAt: now,
  triggerEvent: event,
};
const ana: Profile = {
  ...emptyProfile('ana', now.toISOString()),
  channels: { sms: { address: '+34600000001', consent: { marketing: true } } },
};

const plain = aCampaign('cart').compile(3);
const measured = aCampaign('cart').with('conversion', { event: 'purchase', within: 'P1D' }).compile(3);
const chained = aCampaign('cart').withChannels('whatsapp', 'sms').withMessage({ fallbackAfter: 'PT1H' }).compile(3);

const sent: SendVerdict = { outcome: 'sent', reason: 'ok', channel: 'sms', to: '+34600000001' };

/** What each part of the effects holds, as counts: the shape of "a verdict becomes its effects". */
function shape(e: ReturnType<typeof effectsOfSendVerdict>) {
  return {
    decisions: e.decisions.map((d) => d.outcome).join(','),
    schedule: e.schedule.length,
    requests: e.requests.length,
    ledger: e.ledger.length,
    touches: e.touches.length,
    attributions: e.attributions.map((a) => a.group).join(','),
  };
}

describe('effectsOfSendVerdict', () => {
  it.each<[string, Parameters<typeof effectsOfSendVerdict>[1], SendVerdict | undefined, ReturnType<typeof shape>]>([
    ['sent, not measured', plain, sent, { decisions: 'sent', schedule: 0, requests: 1, ledger: 1, touches: 1, attributions: '' }],
    ['sent, measured', measured, sent, { decisions: 'sent', schedule: 0, requests: 1, ledger: 1, touches: 1, attributions: 'treated' }],
    [
      'sent with a fallback chain: the step waits',
      chained,
      { outcome: 'sent', reason: 'ok', channel: 'whatsapp', to: '+34600000001' },
      { decisions: 'sent', schedule: 1, requests: 1, ledger: 1, touches: 1, attributions: '' },
    ],
    [
      'deferred to the window',
      plain,
      { outcome: 'deferred_window', reason: 'night', scheduledFor: later },
      { decisions: 'deferred_window', schedule: 1, requests: 0, ledger: 0, touches: 0, attributions: '' },
    ],
    [
      'held out, measured',
      measured,
      { outcome: 'held_out', reason: 'control', channel: 'sms' },
      { decisions: 'held_out', schedule: 0, requests: 0, ledger: 0, touches: 1, attributions: 'held_out' },
    ],
    [
      'held out, not measured',
      plain,
      { outcome: 'held_out', reason: 'control', channel: 'sms' },
      { decisions: 'held_out', schedule: 0, requests: 0, ledger: 0, touches: 1, attributions: '' },
    ],
    [
      'capped',
      plain,
      { outcome: 'capped', reason: 'cap' },
      { decisions: 'capped', schedule: 0, requests: 0, ledger: 0, touches: 0, attributions: '' },
    ],
    [
      'campaign gone',
      undefined,
      undefined,
      { decisions: 'campaign_inactive', schedule: 0, requests: 0, ledger: 0, touches: 0, attributions: '' },
    ],
  ])('%s', (_, campaign, verdict, expected) => {
    expect(shape(effectsOfSendVerdict(send, campaign, ana, verdict, now))).toEqual(expected);
  });

  it('defers the same send to the verdict time, and logs when', () => {
    const e = effectsOfSendVerdict(send, plain, ana, { outcome: 'deferred_window', reason: 'night', scheduledFor: later }, now);
    expect(e.schedule).toEqual([{ ...send, dueAt: later }]);
    expect(e.decisions[0]).toMatchObject({ scheduledFor: later, campaignVersion: 3, stepId: 'main', at: now });
  });

  it('names a gone campaign in the reason, at the version the send was made for', () => {
    const e = effectsOfSendVerdict(send, undefined, ana, undefined, now);
    expect(e.decisions[0]).toMatchObject({ outcome: 'campaign_inactive', reason: 'campaign cart no longer exists', campaignVersion: 3 });
  });

  it('counts a sent message against caps under its send id, and attributes it with the trigger properties', () => {
    const e = effectsOfSendVerdict(send, measured, ana, sent, now);
    expect(e.ledger).toEqual([
      { sendId: 'snd_1', userId: 'ana', campaignId: 'cart', channel: 'sms', category: measured.category, sentAt: now },
    ]);
    expect(e.attributions[0]).toMatchObject({ sendId: 'snd_1', triggerProperties: { cartId: 'c1' } });
    expect(e.requests[0]).toMatchObject({ sendId: 'snd_1', channel: 'sms', to: '+34600000001', campaignVersion: 3 });
  });
});
