import { ValidationError } from '@nudge/contracts';
import { parseListMessagesQuery } from './list-messages.query';

function issuesOf(query: unknown) {
  try {
    parseListMessagesQuery(query);
  } catch (error) {
    if (error instanceof ValidationError) return error.details;
    throw error;
  }
  return [];
}

describe('parseListMessagesQuery', () => {
  it('needs a user or a campaign, naming userId', () => {
    expect(issuesOf({})).toContainEqual({ path: 'userId', message: 'userId or campaignId is required' });
  });

  it('lists 100 messages unless told otherwise', () => {
    expect(parseListMessagesQuery({ userId: 'u1' })).toEqual({ userId: 'u1', limit: 100 });
    expect(parseListMessagesQuery({ campaignId: 'c1', limit: '20' })).toEqual({ campaignId: 'c1', limit: 20 });
  });

  it.each([
    ['0', 'must be at least 1'],
    ['501', 'must be at most 500'],
    ['many', 'must be a number'],
  ])('refuses limit=%s', (limit, message) => {
    expect(issuesOf({ userId: 'u1', limit })).toEqual([{ path: 'limit', message }]);
  });
});
