import { ProviderPermanentError } from '../../provider-errors';
import { startFakeProviderServer } from '../../testing/fake-provider-server';
import { createServer } from 'node:net';
import { callProvider, MAX_ANSWER_BYTES } from './provider-http';

describe('callProvider', () => {
  it('reads no more than 64 KB of an answer', async () => {
    const api = await startFakeProviderServer(() => ({ status: 500, body: 'x'.repeat(1024 * 1024), contentType: 'text/plain' }));
    try {
      const answer = await callProvider('the api', `${api.baseUrl}/send`, { method: 'POST', body: '{}' }, 5_000);
      expect(answer.status).toBe(500);
      expect(answer.text).toHaveLength(MAX_ANSWER_BYTES);
    } finally {
      await api.close();
    }
  });
});

describe('callProvider without an answer', () => {
  it('a connection cut once the request was read is an unknown outcome; a refused one is transient', async () => {
    // A server that reads the request and hangs up without a word: the provider may have acted on it.
    const server = createServer((socket) => socket.once('data', () => socket.destroy()));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as { port: number };
    const call = () => callProvider('the api', `http://127.0.0.1:${port}/send`, { method: 'POST', body: '{}' }, 5_000);
    try {
      await expect(call()).rejects.toMatchObject({
        kind: 'unknown',
        message: expect.stringMatching(/^the api closed the connection before answering/),
      });
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
    await expect(call()).rejects.toMatchObject({ kind: 'transient', message: expect.stringMatching(/^the api could not be reached: /) });
  });
});

describe('provider errors', () => {
  it('keep at most 500 characters of a reason, for every adapter', () => {
    expect(new ProviderPermanentError(`the api answered: ${'x'.repeat(10_000)}`).message).toHaveLength(500);
    expect(new ProviderPermanentError('short').message).toBe('short');
  });
});
