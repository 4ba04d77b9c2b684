import { ConsumerProgress, stalledPartitions } from './consumer-progress';

describe('stalledPartitions', () => {
  const at = 1_000_000;

  it('reports a partition with lag that has not advanced for longer than the threshold', () => {
    const stalled = stalledPartitions([{ topic: 't', partition: 2, lag: 7, advancedAt: at - 121_000 }], at, 120);
    expect(stalled).toEqual([{ topic: 't', partition: 2, lag: 7, stalledForSeconds: 121 }]);
  });

  it('does not report a partition without lag, however long idle', () => {
    expect(stalledPartitions([{ topic: 't', partition: 0, lag: 0, advancedAt: at - 3_600_000 }], at, 120)).toEqual([]);
  });

  it('does not report a partition with lag that advanced within the threshold', () => {
    expect(stalledPartitions([{ topic: 't', partition: 0, lag: 500, advancedAt: at - 120_000 }], at, 120)).toEqual([]);
  });
});

describe('ConsumerProgress', () => {
  it('counts a partition stuck on its first batch as stalled from when the batch arrived', () => {
    let now = 0;
    const progress = new ConsumerProgress(() => now);
    progress.fetched('t', 0, 3);
    now = 5_000;
    progress.fetched('t', 0, 4); // the same batch again after a failure: the clock keeps running
    now = 11_000;
    expect(progress.stalled(10)).toEqual([{ topic: 't', partition: 0, lag: 4, stalledForSeconds: 11 }]);
  });

  it('restarts the clock when the partition advances, and forgets a caught-up partition', () => {
    let now = 0;
    const progress = new ConsumerProgress(() => now);
    progress.fetched('t', 1, 10);
    now = 9_000;
    progress.advanced('t', 1, 5);
    now = 15_000;
    expect(progress.stalled(10)).toEqual([]);
    progress.advanced('t', 1, 0);
    now = 100_000;
    expect(progress.stalled(10)).toEqual([]);
  });

  it('forgets partitions the group gave to another member', () => {
    let now = 0;
    const progress = new ConsumerProgress(() => now);
    progress.fetched('t', 0, 3);
    progress.fetched('t', 1, 3);
    progress.assigned({ t: [1] });
    now = 60_000;
    expect(progress.stalled(10).map((p) => p.partition)).toEqual([1]);
  });
});
