import { validationPathsOf } from '@nudge/testing';
import { rollbackVersionOf, versionOf, versionsPageOf, withStatus } from './campaign-versions';

describe('campaign versions: requests', () => {
  it.each([
    [{}, { limit: 50 }],
    [{ limit: '10' }, { limit: 10 }],
    [
      { limit: '500', cursor: '7' },
      { limit: 500, before: 7 },
    ],
  ])('reads the history query %j', (query, page) => {
    expect(versionsPageOf(query)).toEqual(page);
  });

  it.each([
    [{ limit: '0' }, 'query.limit'],
    [{ limit: '501' }, 'query.limit'],
    [{ limit: 'ten' }, 'query.limit'],
    [{ cursor: '0' }, 'query.cursor'],
    [{ cursor: 'abc' }, 'query.cursor'],
  ])('refuses the history query %j naming %s', (query, path) => {
    expect(validationPathsOf(() => versionsPageOf(query))).toEqual([path]);
  });

  it('reads a version number from the path, and names `version` for anything else', () => {
    expect(versionOf('12')).toBe(12);
    for (const bad of ['0', '-1', '1.5', 'two', '99999999999']) expect(validationPathsOf(() => versionOf(bad))).toEqual(['version']);
  });

  it('reads the rollback body, naming `version` when it is missing or not a version number', () => {
    expect(rollbackVersionOf({ version: 3 })).toBe(3);
    for (const bad of [{}, { version: '3' }, { version: 0 }, { version: 2.5 }, null]) {
      expect(validationPathsOf(() => rollbackVersionOf(bad))).toEqual(['version']);
    }
    expect(validationPathsOf(() => rollbackVersionOf({ version: 3, verison: 4 }))).toEqual(['verison']);
    expect(validationPathsOf(() => versionsPageOf({ limit: '5', page: '2' }))).toEqual(['query.page']);
  });
});

describe('campaign versions: withStatus', () => {
  const document = { id: 'c', status: 'active', name: 'C' };

  it('sets a different status and keeps the rest', () => {
    expect(withStatus(document, 'paused')).toEqual({ id: 'c', status: 'paused', name: 'C' });
  });

  it('changes nothing when the status is already the one asked for (no new version)', () => {
    expect(withStatus(document, 'active')).toBeNull();
    expect(withStatus({ id: 'c' }, 'active')).toBeNull();
    expect(withStatus({ ...document, status: 'archived' }, 'active')).toEqual(document);
  });
});
