import { ValidationError } from '@nudge/contracts';
import { parseListInboxQuery } from './list-inbox.query';

function issuesOf(query: unknown) {
  try {
    parseListInboxQuery(query);
  } catch (error) {
    if (error instanceof ValidationError) return error.details;
    throw error;
  }
  return [];
}

describe('parseListInboxQuery', () => {
  it.each([
    [{}, { unread: false, limit: 100 }],
    [{ unread: 'true' }, { unread: true, limit: 100 }],
    [
      { unread: 'false', limit: '20' },
      { unread: false, limit: 20 },
    ],
  ])('%j lists %j', (query, filter) => {
    expect(parseListInboxQuery(query)).toEqual(filter);
  });

  it.each([
    [{ unread: 'yes' }, 'unread', 'must be true or false'],
    [{ limit: '0' }, 'limit', 'must be at least 1'],
    [{ limit: '501' }, 'limit', 'must be at most 500'],
    [{ limit: 'ten' }, 'limit', 'must be a number'],
  ])('refuses %j, naming %s', (query, path, message) => {
    expect(issuesOf(query)).toEqual([{ path, message }]);
  });
});
