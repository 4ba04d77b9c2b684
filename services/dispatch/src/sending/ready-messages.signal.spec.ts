import { ReadyMessagesSignal } from './ready-messages.signal';

describe('ReadyMessagesSignal', () => {
  it('wakes a waiting sender as soon as it is rung', async () => {
    const signal = new ReadyMessagesSignal();
    const started = Date.now();
    const waiting = signal.wait(10_000);
    signal.ring();
    await waiting;
    expect(Date.now() - started).toBeLessThan(1_000);
  });

  it('a ring while the sender is busy is not lost: the next wait returns at once', async () => {
    const signal = new ReadyMessagesSignal();
    signal.ring();
    const started = Date.now();
    await signal.wait(10_000);
    expect(Date.now() - started).toBeLessThan(1_000);
  });

  it('without a ring, waits for the poll interval', async () => {
    const signal = new ReadyMessagesSignal();
    const started = Date.now();
    await signal.wait(30);
    expect(Date.now() - started).toBeGreaterThanOrEqual(25);
  });

  it('calls its listeners at every ring (the senders’ PollLoops wake)', () => {
    const signal = new ReadyMessagesSignal();
    const listener = jest.fn();
    signal.onRing(listener);
    signal.ring();
    signal.ring();
    expect(listener).toHaveBeenCalledTimes(2);
  });
});
