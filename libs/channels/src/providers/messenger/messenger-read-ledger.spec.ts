import { MessengerReadLedger } from './messenger-read-ledger';

describe('MessengerReadLedger', () => {
  it('turns a watermark into the messages sent to that user at or before it, once', () => {
    const ledger = new MessengerReadLedger();
    ledger.remember('m_1', 'ana', new Date(1_000));
    ledger.remember('m_2', 'ana', new Date(2_000));
    ledger.remember('m_3', 'ana', new Date(3_000));
    ledger.remember('m_bo', 'bo', new Date(1_000));
    expect(ledger.readUpTo('ana', 2_000)).toEqual(['m_1', 'm_2']);
    expect(ledger.readUpTo('ana', 2_000)).toEqual([]);
    expect(ledger.readUpTo('ana', 5_000)).toEqual(['m_3']);
  });

  it('forgets the oldest sends beyond its capacity', () => {
    const ledger = new MessengerReadLedger(2);
    ledger.remember('m_1', 'ana', new Date(1_000));
    ledger.remember('m_2', 'ana', new Date(2_000));
    ledger.remember('m_3', 'ana', new Date(3_000));
    expect(ledger.readUpTo('ana', 5_000)).toEqual(['m_2', 'm_3']);
  });
});
