// One BullMQ worker process: node worker.mjs REDIS_URL CONCURRENCY
// Each job's body is one RPUSH of its id on the worker's own ioredis client.
import { Worker } from 'bullmq';
import { QUEUE, DONE_KEY, READY_KEY, connectionFrom } from './common.mjs';

const [url, concurrencyArg] = process.argv.slice(2);
const concurrency = Number(concurrencyArg);
let client;
const worker = new Worker(
  QUEUE,
  async (job) => {
    await client.rpush(DONE_KEY, job.id);
  },
  { connection: connectionFrom(url), concurrency, autorun: false },
);
worker.on('error', (err) => console.error('worker error', err));
worker.on('failed', (job, err) => console.error('job failed', job && job.id, err));
await worker.waitUntilReady();
client = await worker.getBackend().client;
const running = worker.run();
await client.rpush(READY_KEY, String(process.pid));

let closing = false;
for (const signal of ['SIGTERM', 'SIGINT']) {
  process.on(signal, async () => {
    if (closing) return;
    closing = true;
    await worker.close();
    process.exit(0);
  });
}
await running;
