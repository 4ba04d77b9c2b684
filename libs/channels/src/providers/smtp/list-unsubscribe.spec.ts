import { listUnsubscribeHeaders } from './list-unsubscribe';

const link = { url: 'https://nudge.example/u/eyJ1Ijoi.c2ln', token: 'eyJ1Ijoi.c2ln' };

describe('listUnsubscribeHeaders', () => {
  it('the https link and the one-click POST marker', () => {
    expect(listUnsubscribeHeaders(link)).toEqual({
      'List-Unsubscribe': '<https://nudge.example/u/eyJ1Ijoi.c2ln>',
      'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click',
    });
  });

  it('with an unsubscribe mailbox, a mailto after the https link whose subject carries the token', () => {
    expect(listUnsubscribeHeaders(link, 'unsubscribe@acme.example')).toEqual({
      'List-Unsubscribe': '<https://nudge.example/u/eyJ1Ijoi.c2ln>, <mailto:unsubscribe@acme.example?subject=unsubscribe-eyJ1Ijoi.c2ln>',
      'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click',
    });
  });
});
