import { emptyProfile, type Profile } from '@nudge/contracts';
import { ProfileMirror, type ProfileSend } from './profile-store';

const at = '2026-12-04T10:00:00.000Z';
const profileNamed = (firstName: string, version: number): Profile => ({ ...emptyProfile('kept', at), attributes: { firstName }, version });
const quietLogger = { warn: jest.fn(), error: jest.fn() };
const settle = () => new Promise((resolve) => setImmediate(resolve));

/** A topic that records what is sent; the first send "misses its deadline" and hands back its afterLate. */
function aTopic() {
  const sent: (string | null)[] = [];
  const late: (() => void)[] = [];
  const send: ProfileSend = async (_userId, profile, _events, afterLate) => {
    sent.push(profile ? String(profile.attributes.firstName) : null);
    if (sent.length === 1) {
      late.push(afterLate);
      throw new Error('no acknowledgement from Kafka within 10 ms');
    }
  };
  return { sent, late, send };
}

describe('ProfileMirror: the profiles topic ends with what Postgres holds', () => {
  it('publishes the stored profile again, under the lock, once a send that missed its deadline settles', async () => {
    const topic = aTopic();
    let stored: Profile | null = profileNamed('Kept', 1);
    const republish = jest.fn(async (_userId: string, publish: (p: Profile | null) => Promise<void>) => publish(stored));
    const mirror = new ProfileMirror({ republish }, topic.send, quietLogger);

    await expect(mirror.publish('kept', profileNamed('Changed', 2))).rejects.toThrow('no acknowledgement');
    stored = profileNamed('Back', 2); // the next change commits meanwhile
    await mirror.publish('kept', stored);
    expect(republish).not.toHaveBeenCalled();

    topic.late[0]!(); // the rolled-back "Changed" is acknowledged only now, after "Back"
    await settle();
    expect(republish).toHaveBeenCalledWith('kept', expect.any(Function));
    expect(topic.sent).toEqual(['Changed', 'Back', 'Back']);
  });

  it('publishes a tombstone when the user has no stored profile (never stored, or erased)', async () => {
    const topic = aTopic();
    const mirror = new ProfileMirror({ republish: async (_id, publish) => publish(null) }, topic.send, quietLogger);
    await expect(mirror.publish('kept', profileNamed('Never', 1))).rejects.toThrow();
    topic.late[0]!();
    await settle();
    expect(topic.sent).toEqual(['Never', null]);
  });

  it('tries the repair again while Postgres or Kafka is away', async () => {
    const topic = aTopic();
    let failures = 2;
    const republish = jest.fn(async (_id: string, publish: (p: Profile | null) => Promise<void>) => {
      if (failures-- > 0) throw new Error('connection refused');
      await publish(profileNamed('Back', 2));
    });
    const mirror = new ProfileMirror({ republish }, topic.send, quietLogger, () => 1);
    await expect(mirror.publish('kept', profileNamed('Changed', 2))).rejects.toThrow();
    topic.late[0]!();
    for (let i = 0; i < 50 && topic.sent.length < 2; i++) await new Promise((resolve) => setTimeout(resolve, 5));
    expect(republish).toHaveBeenCalledTimes(3);
    expect(topic.sent).toEqual(['Changed', 'Back']);
  });
});
