import { Logger } from '@nestjs/common';
import { NotFoundError, ValidationError, type ConsentProof, type Profile, type ProfileUpdate } from '@nudge/contracts';
import { TopicNames, type JsonProducer, type OutgoingRecord } from '@nudge/kafka';
import { ServiceMetrics } from '@nudge/service-runtime';
import { loadIngestConfig } from '../config';
import { EventsService } from '../events/events.service';
import type { SegmentSettingsStore } from './segment-settings.store';
import { SegmentService, type SegmentProfiles } from './segment.service';

class RecordingProducer {
  readonly calls: OutgoingRecord[][] = [];
  async publishWithin(_topic: string, records: OutgoingRecord[]): Promise<void> {
    this.calls.push(records);
  }
}

/** The profiles side as the service sees it, recording what it was asked in order. */
class RecordingProfiles implements SegmentProfiles {
  readonly calls: string[] = [];
  readonly updates: ProfileUpdate[] = [];
  constructor(private readonly stored: Record<string, Partial<Profile>> = {}) {}
  async get(userId: string): Promise<Profile> {
    this.calls.push(`get ${userId}`);
    const profile = this.stored[userId];
    if (!profile) throw new NotFoundError(`no profile for user ${userId}`);
    return { userId, attributes: {}, channels: {}, preferences: { topics: {} }, version: 1, updatedAt: '', ...profile };
  }
  async merge(
    userId: string,
    update: ProfileUpdate | ((current: Profile) => ProfileUpdate),
    origin: { source: string; proof: ConsentProof },
  ): Promise<Profile> {
    this.calls.push(`merge ${userId} (${origin.source} ${origin.proof.ip ?? '-'})`);
    const current = {
      userId,
      attributes: {},
      channels: {},
      preferences: { topics: {} },
      version: 1,
      updatedAt: '',
      ...this.stored[userId],
    };
    this.updates.push(typeof update === 'function' ? update(current) : update);
    return { userId, attributes: {}, channels: {}, preferences: { topics: {} }, version: 1, updatedAt: '' };
  }
  async alias(previousId: string, userId: string): Promise<void> {
    this.calls.push(`alias ${previousId} -> ${userId}`);
  }
}

function aSegmentService(stored: Record<string, Partial<Profile>> = {}) {
  const producer = new RecordingProducer();
  const config = loadIngestConfig({});
  const events = new EventsService(producer as unknown as JsonProducer, new TopicNames('t.'), config, new ServiceMetrics('ingest'));
  const profiles = new RecordingProfiles(stored);
  const settings = { segmentSettings: async () => ({ consentCategories: { Advertising: { channels: ['sms' as const], topics: [] } } }) };
  const service = new SegmentService(events, profiles, settings as unknown as SegmentSettingsStore, config);
  return { service, producer, profiles };
}

const track = (n: number) => ({ type: 'track', userId: `u${n % 7}`, event: 'Order Completed', messageId: `m-${n}`, properties: { n } });
const origin = { ip: '198.51.100.4', userAgent: 'analytics-node-next/latest' };

describe('SegmentService', () => {
  beforeAll(() => Logger.overrideLogger(false));

  it('publishes every event of a batch of 500 in one producer call, touching no profile', async () => {
    const { service, producer, profiles } = aSegmentService();
    expect(await service.apply({ messages: Array.from({ length: 500 }, (_, n) => track(n)) }, origin)).toBe(500);
    expect(producer.calls).toHaveLength(1);
    expect(producer.calls[0]).toHaveLength(500);
    expect(producer.calls[0]![3]).toMatchObject({ key: 'u3', value: { eventId: 'm-3', name: 'Order Completed' } });
    expect(profiles.calls).toEqual([]);
  });

  it('applies nothing of a batch with one bad message, and names it', async () => {
    const { service, producer, profiles } = aSegmentService();
    const messages = [{ type: 'identify', userId: 'u1', traits: { plan: 'pro' } }, track(1), track(2), { ...track(3), event: '' }];
    await expect(service.apply({ messages }, origin)).rejects.toMatchObject({ details: [{ path: 'batch[3].event' }] });
    expect(producer.calls).toEqual([]);
    expect(profiles.calls).toEqual([]);
  });

  it('applies aliases and profile changes in order before publishing the events, with source segment and the proof', async () => {
    const { service, producer, profiles } = aSegmentService();
    const messages = [
      { type: 'identify', userId: 'u1', anonymousId: 'anon-1', traits: { plan: 'pro' }, context: { ip: '203.0.113.9' } },
      track(1),
      { type: 'alias', previousId: 'anon-2', userId: 'u2' },
      { type: 'identify', userId: 'u2', traits: { plan: 'free' } },
    ];
    await service.apply({ messages }, origin);
    expect(profiles.calls).toEqual([
      'alias anon-1 -> u1',
      'merge u1 (segment 203.0.113.9)',
      'alias anon-2 -> u2',
      'merge u2 (segment 198.51.100.4)',
    ]);
    expect(producer.calls).toHaveLength(1);
  });

  it("reads a national phone in the stored profile's country, and refuses the request before any change when it cannot", async () => {
    const { service, profiles } = aSegmentService({ u1: { country: 'ES' } });
    await service.apply({ messages: [{ type: 'identify', userId: 'u1', traits: { phone: '600 000 001' } }] }, origin);
    expect(profiles.updates[0]).toMatchObject({ channels: { sms: { address: '+34600000001', consent: { transactional: true } } } });

    const refused = aSegmentService();
    const messages = [
      { type: 'alias', previousId: 'anon-3', userId: 'u3' },
      { type: 'identify', userId: 'u3', traits: { phone: '600 000 001' } },
    ];
    await expect(refused.service.apply({ messages }, origin)).rejects.toBeInstanceOf(ValidationError);
    expect(refused.profiles.calls).toEqual(['get u3']);
  });

  it('leaves the transactional consent a stored address already has as it is: an identify on every app start undoes no refusal', async () => {
    const refused = { sms: { address: '+34600000001', consent: { transactional: false } } };
    const { service, profiles } = aSegmentService({ u1: { channels: refused } });
    await service.apply({ messages: [{ type: 'identify', userId: 'u1', traits: { phone: '+34 600 000 001', firstName: 'Ana' } }] }, origin);
    expect(profiles.calls).toEqual(['get u1', 'merge u1 (segment 198.51.100.4)']);
    expect(profiles.updates[0]).toEqual({ attributes: { firstName: 'Ana' }, channels: { sms: { address: '+34600000001', consent: {} } } });
  });

  it("adds a group to the stored profile's groups, from the profile the store hands over under the user's lock", async () => {
    const { service, profiles } = aSegmentService({ u1: { attributes: { groups: ['acme'], plan: 'gold' } } });
    await service.apply({ messages: [{ type: 'group', userId: 'u1', groupId: 'globex', traits: { seats: 5 } }] }, origin);
    expect(profiles.calls).toEqual(['merge u1 (segment 198.51.100.4)']);
    expect(profiles.updates[0]).toEqual({ attributes: { groups: ['acme', 'globex'], groupTraits: { globex: { seats: 5 } } } });
  });

  it("gives marketing consent by the settings' consent categories", async () => {
    const { service, profiles } = aSegmentService();
    const context = { consent: { categoryPreferences: { Advertising: true } } };
    await service.apply({ messages: [{ type: 'identify', userId: 'u1', traits: { phone: '+34600000001' }, context }] }, origin);
    expect(profiles.updates[0]).toMatchObject({
      channels: { sms: { address: '+34600000001', consent: { transactional: true, marketing: true } } },
    });
  });
});
