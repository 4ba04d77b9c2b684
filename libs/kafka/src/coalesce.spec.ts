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
    const first = handle([1]);
    const second = handle([3]);
    const third = handle([4]);
    release();
    await expect(first).resolves.toBeUndefined();
    await expect(second).rejects.toThrow('database gone');
    await expect(third).rejects.toThrow('database gone');
    await expect(handle([5])).resolves.toBeUndefined();
  });

  it('keeps a flush to maxItems, taking whole calls', async () => {
    const flushed: number[][] = [];
    let release: () => void = () => undefined;
    const handle = coalescing<number>(async (items) => {
      flushed.push(items);
      if (flushed.length === 1) await new Promise<void>((resolve) => (release = resolve));
    }, 3);
    const calls = [handle([0]), handle([1, 2]), handle([3]), handle([4, 5, 6, 7])];
    release();
    await Promise.all(calls);
    expect(flushed).toEqual([[0], [1, 2, 3], [4, 5, 6, 7]]);
  });
});
