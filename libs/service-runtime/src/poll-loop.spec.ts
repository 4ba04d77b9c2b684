import { PollLoop } from './poll-loop';

describe('PollLoop', () => {
  const logger = { error: jest.fn() };

  it('goes again at once after a full batch, idles after a short one, and is woken early', async () => {
    const taken = [10, 10, 3];
    let calls = 0;
    let resolveIdle: () => void = () => undefined;
    const idle = new Promise<void>((resolve) => (resolveIdle = resolve));
    const loop = new PollLoop({
      work: async () => {
        calls++;
        if (calls === 3) resolveIdle();
        return taken.shift() ?? 0;
      },
      batchSize: 10,
      pollMs: 60_000,
      logger,
      what: 'test work',
    });
    loop.start();
    await idle;
    expect(calls).toBe(3); // two full batches back to back, then a short one
    loop.wake();
    await waitFor(() => calls === 4);
    await loop.stop();
  });

  it('logs a failed batch and tries again', async () => {
    let calls = 0;
    const loop = new PollLoop({
      work: async () => {
        calls++;
        if (calls === 1) throw new Error('database gone');
        return 0;
      },
      batchSize: 10,
      pollMs: 60_000,
      retryMs: 5,
      logger,
      what: 'firing timers',
    });
    loop.start();
    await waitFor(() => calls === 2);
    expect(logger.error).toHaveBeenCalledWith('firing timers failed, retrying: database gone');
    await loop.stop();
  });

  it('reports a failed batch through onError when given (a service with its own log shape)', async () => {
    const onError = jest.fn();
    let calls = 0;
    const loop = new PollLoop({
      work: async () => {
        calls++;
        if (calls === 1) throw new Error('broker gone');
        return 0;
      },
      batchSize: 10,
      pollMs: 60_000,
      retryMs: 5,
      onError,
      what: 'sending a batch',
    });
    loop.start();
    await waitFor(() => calls === 2);
    expect(onError).toHaveBeenCalledWith(new Error('broker gone'));
    await loop.stop();
  });

  it('lets the batch in hand finish when stopped', async () => {
    let finished = false;
    let started: () => void = () => undefined;
    const running = new Promise<void>((resolve) => (started = resolve));
    const loop = new PollLoop({
      work: async () => {
        started();
        await new Promise((resolve) => setTimeout(resolve, 20));
        finished = true;
        return 0;
      },
      batchSize: 10,
      pollMs: 60_000,
      logger,
      what: 'work',
    });
    loop.start();
    await running;
    await loop.stop();
    expect(finished).toBe(true);
  });
});

async function waitFor(condition: () => boolean): Promise<void> {
  for (let i = 0; i < 200 && !condition(); i++) await new Promise((resolve) => setTimeout(resolve, 5));
  expect(condition()).toBe(true);
}
