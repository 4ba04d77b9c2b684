import { coalescing } from './coalesce';

describe('coalescing', () => {
  it('flushes an idle call at once, and calls that arrive meanwhile together', async () => {
    const flushed: number[][] = [];
    let release: () => void = () => undefined;
    const handle = coalescing<number>(async (items) => {
      flushed.push(items);
      if (flushed.length === 1) await new Promise<void>((resolve) => (release = resolve));
    });
    const first = handle([1, 2]);
    const second = handle([3]);
    const third = handle([4, 5]);
    expect(flushed).toEqual([[1, 2]]);
    release();
    await Promise.all([first, second, third]);
    expect(flushed).toEqual([
      [1, 2],
      [3, 4, 5],
    ]);
  });

  it('fails every call whose items were in a failed flush, and goes on with the next', async () => {
    let calls = 0;
    let release: () => void = () => undefined;
    const handle = coalescing<number>(async (items) => {
      calls++;
      if (calls === 1) await new Promise<void>((resolve) => (release = resolve));
      if (items.includes(3)) throw new Error('database gone');
    });
    const settled = Promise.allSettled([handle([1]), handle([3]), handle([4])]);
    release();
    expect((await settled).map((result) => (result.status === 'rejected' ? (result.reason as Error).message : 'ok'))).toEqual([
      'ok',
      'database gone',
      'database gone',
    ]);
    await expect(handle([5])).resolves.toEqual([]);
  });

  it('keeps a flush to maxItems, taking whole calls', async () => {
    const flushed: number[][] = [];
    let release: () => void = () => undefined;
    const handle = coalescing<number>(
      async (items) => {
        flushed.push(items);
        if (flushed.length === 1) await new Promise<void>((resolve) => (release = resolve));
      },
      { maxItems: 3 },
    );
    const calls = [handle([0]), handle([1, 2]), handle([3]), handle([4, 5, 6, 7])];
    release();
    await Promise.all(calls);
    expect(flushed).toEqual([[0], [1, 2, 3], [4, 5, 6, 7]]);
  });

  it('hands each call back the results about its own items', async () => {
    let release: () => void = () => undefined;
    let calls = 0;
    const handle = coalescing<{ n: number }, { about: { n: number }; why: string }>(
      async (items) => {
        if (++calls === 1) await new Promise<void>((resolve) => (release = resolve));
        return items.filter((item) => item.n % 2 === 1).map((item) => ({ about: item, why: 'odd' }));
      },
      { itemOf: (result) => result.about },
    );
    const first = handle([{ n: 0 }]);
    const second = handle([{ n: 1 }, { n: 2 }]);
    const third = handle([{ n: 3 }]);
    release();
    expect(await first).toEqual([]);
    expect((await second).map((r) => r.about.n)).toEqual([1]);
    expect((await third).map((r) => r.about.n)).toEqual([3]);
  });
});
