import type { InboxItemView } from './inbox-item';
import { NewInboxItems } from './new-inbox-items';

const anItem = (messageId: string): InboxItemView => ({
  messageId,
  campaignId: 'c1',
  title: null,
  body: 'Hi',
  createdAt: '2026-11-24T10:00:00.000Z',
  readAt: null,
  clickedAt: null,
});

describe('NewInboxItems', () => {
  it("tells every listener of the item's user, and nobody else", () => {
    const newItems = new NewInboxItems();
    const heard: string[] = [];
    newItems.subscribe('ana', (item) => heard.push(`ana phone: ${item.messageId}`));
    newItems.subscribe('ana', (item) => heard.push(`ana laptop: ${item.messageId}`));
    newItems.subscribe('bea', (item) => heard.push(`bea: ${item.messageId}`));

    newItems.announce('ana', anItem('m1'));

    expect(heard).toEqual(['ana phone: m1', 'ana laptop: m1']);
  });

  it('a listener that stopped hears nothing more and is forgotten', () => {
    const newItems = new NewInboxItems();
    const heard: string[] = [];
    const stop = newItems.subscribe('ana', (item) => heard.push(item.messageId));
    newItems.announce('ana', anItem('m1'));
    stop();
    newItems.announce('ana', anItem('m2'));

    expect(heard).toEqual(['m1']);
    expect(newItems.listenerCount('ana')).toBe(0);
  });
});
