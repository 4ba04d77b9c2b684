#!/usr/bin/env node
// The peers of `npm run bench` (scripts/bench-peers.mjs), each in a process of its own so the
// bench's /proc CPU accounting sees it apart from the load generator:
//   relay     hop 1 of the raw kafkajs pipeline: consumes `from`, re-produces every event to `to`;
//   sink      hop 2: consumes `to`, measures trigger timestamp → consume latency per event;
//   graphile  a graphile-worker pool running no-op jobs, measuring run_at → start lateness.
// Started by fork() with its settings as JSON in argv[3]; it talks to the bench over IPC and
// exits when the bench disconnects or says `stop` (bounded: it never outlives the bench).
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(path.join(root, 'package.json'));
const role = process.argv[2];
const settings = JSON.parse(process.argv[3] ?? '{}');
const send = (message) => process.send?.(message);

/** The producer settings of Nudge's services (libs/kafka/src/json-producer.ts): idempotent, acks=all, no compression. */
function nudgeLikeProducer(kafka) {
  const { Partitioners } = require('kafkajs');
  return kafka.producer({
    idempotent: true,
    maxInFlightRequests: 1,
    createPartitioner: Partitioners.DefaultPartitioner,
    allowAutoTopicCreation: false,
  });
}

/** A consumer as Nudge's (libs/kafka/src/batch-consumer.ts): eachBatch, 3 partitions at a time, 100 ms fetch wait. */
async function startConsumer(kafka, topic, eachBatch) {
  const consumer = kafka.consumer({
    groupId: `${settings.groupPrefix}${role}`,
    sessionTimeout: 30_000,
    heartbeatInterval: 3_000,
    maxWaitTimeInMs: 100,
  });
  consumer.on(consumer.events.GROUP_JOIN, () => send({ type: 'joined' }));
  await consumer.connect();
  await consumer.subscribe({ topics: [topic], fromBeginning: true });
  await consumer.run({ autoCommit: true, partitionsConsumedConcurrently: 3, eachBatch });
  return consumer;
}

function kafkaClient() {
  const { Kafka, logLevel } = require('kafkajs');
  return new Kafka({
    clientId: `bench-peer-${role}`,
    brokers: settings.brokers.split(','),
    logLevel: logLevel.WARN,
    logCreator: () => (entry) => {
      // As Nudge's services (libs/kafka/src/kafka-client.ts): the idempotent producer's bounded retries are on purpose.
      if (entry.log.message.startsWith('Limiting retries for the idempotent producer')) return;
      console.error(`[bench ${role} kafkajs ${entry.namespace}] ${entry.log.message}`);
    },
    retry: { initialRetryTime: 200, retries: 8 },
  });
}

async function relay() {
  const kafka = kafkaClient();
  const producer = nudgeLikeProducer(kafka);
  await producer.connect();
  // What a service hop does at the least: decode the record, and publish what it decided
  // (here the same event) keyed by user, acknowledged by all replicas before the offsets move.
  const consumer = await startConsumer(kafka, settings.from, async ({ batch }) => {
    const messages = batch.messages.map((m) => {
      const event = JSON.parse(m.value.toString());
      return { key: event.userId, value: JSON.stringify(event) };
    });
    if (messages.length) await producer.send({ topic: settings.to, acks: -1, messages });
  });
  return async () => {
    await consumer.disconnect();
    await producer.disconnect();
  };
}

async function sink() {
  const kafka = kafkaClient();
  /** Per event name (one per measured run): latencies (ms) and the last consume time. */
  const runs = new Map();
  const run = (name) => {
    let r = runs.get(name);
    if (!r) runs.set(name, (r = { latencies: [], first: 0, last: 0, expect: Infinity, reported: false }));
    return r;
  };
  const report = (name, r) => {
    if (r.reported || r.latencies.length < r.expect) return;
    r.reported = true;
    send({ type: 'done', name, latencies: r.latencies, first: r.first, last: r.last });
  };
  process.on('message', (message) => {
    if (message?.type !== 'expect') return;
    const r = run(message.name);
    r.expect = message.count;
    report(message.name, r);
  });
  const consumer = await startConsumer(kafka, settings.from, async ({ batch }) => {
    const now = Date.now();
    const touched = new Set();
    for (const m of batch.messages) {
      const event = JSON.parse(m.value.toString());
      const r = run(event.name);
      r.latencies.push(now - Date.parse(event.timestamp));
      r.first ||= now;
      r.last = now;
      touched.add(event.name);
    }
    for (const name of touched) report(name, runs.get(name));
  });
  return () => consumer.disconnect();
}

async function graphile() {
  const { run } = require('graphile-worker');
  const latencies = [];
  let first = 0;
  let last = 0;
  let reported = false;
  const noLog = () => () => {};
  const { Logger } = require('graphile-worker');
  const runner = await run({
    connectionString: settings.dbUrl,
    schema: settings.schema,
    concurrency: settings.concurrency,
    maxPoolSize: settings.concurrency + 2,
    pollInterval: settings.pollInterval,
    noHandleSignals: true,
    logger: new Logger(noLog),
    preset: {
      worker: {
        localQueue: settings.localQueue > 1 ? { size: settings.localQueue } : undefined,
        completeJobBatchDelay: settings.completeJobBatchDelay,
      },
    },
    taskList: {
      bench_noop: async (_payload, helpers) => {
        const now = Date.now();
        latencies.push(now - helpers.job.run_at.getTime());
        first ||= now;
        last = now;
        if (!reported && latencies.length >= settings.expect) {
          reported = true;
          send({ type: 'done', name: 'graphile', latencies, first, last });
        }
      },
    },
  });
  send({ type: 'joined' });
  return () => runner.stop();
}

const roles = { relay, sink, graphile };
if (!roles[role]) {
  console.error(`bench-peer-child: unknown role ${role}`);
  process.exit(2);
}

let stopping = null;
const stop = (code) => {
  stopping ??= Promise.race([stopper?.().catch(() => {}), new Promise((resolve) => setTimeout(resolve, 10_000))]).then(() =>
    process.exit(code),
  );
};
let stopper = null;
process.on('message', (message) => message?.type === 'stop' && stop(0));
process.on('disconnect', () => stop(0));
process.on('SIGTERM', () => stop(0));
process.on('SIGINT', () => {}); // the bench's Ctrl-C handler stops us in order
roles[role]().then(
  (fn) => {
    stopper = fn;
    if (stopping) fn().catch(() => {});
  },
  (error) => {
    console.error(`bench-peer-child ${role}: ${error.stack ?? error.message}`);
    process.exit(1);
  },
);
