import type { Profile } from '@nudge/contracts';
import { createDataSource, ProfileStore } from '@nudge/persistence';
import { createTestDatabase, type TestDatabase } from '@nudge/testing';
import type { DataSource } from 'typeorm';

const change = { at: '2026-03-01T10:00:00.000Z', source: 'segment' };

describe('ProfileStore.merge, against Postgres', () => {
  let database: TestDatabase;
  let dataSource: DataSource;
  let profiles: ProfileStore;

  beforeAll(async () => {
    database = await createTestDatabase('profile_store');
    dataSource = createDataSource({ url: database.url, applicationName: 'profile-store-test', poolSize: 8 });
    await dataSource.initialize();
    profiles = new ProfileStore(dataSource);
  });

  afterAll(async () => {
    await dataSource?.destroy();
    await database?.drop();
  });

  /** The update a Segment `group` makes: its group added to the stored list. */
  const joining = (group: string) => (current: Profile) => {
    const groups = Array.isArray(current.attributes.groups) ? (current.attributes.groups as string[]) : [];
    return { attributes: { groups: [...groups, group] } };
  };

  it('computes an update from the stored profile under the user’s lock: updates made at once are all kept', async () => {
    await profiles.merge('u-groups', { attributes: { groups: ['first'] } }, change, async () => undefined);
    const groups = Array.from({ length: 8 }, (_, i) => `g${i}`);

    await Promise.all(groups.map((group) => profiles.merge('u-groups', joining(group), change, async () => undefined)));

    const stored = await profiles.get('u-groups');
    expect([...(stored?.attributes.groups as string[])].sort()).toEqual(['first', ...groups].sort());
  });

  it('hands a user without a profile the empty one', async () => {
    const merged = await profiles.merge('u-new', joining('acme'), change, async () => undefined);
    expect(merged.attributes).toEqual({ groups: ['acme'] });
  });
});
