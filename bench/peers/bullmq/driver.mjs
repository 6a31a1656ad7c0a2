// BullMQ drains: node driver.mjs REDIS_URL JOBS WARM_REPEATS WORKERS CONCURRENCY
//            or: node driver.mjs REDIS_URL clean
// A drain: pause the queue (Queue.pause), bulk-enqueue JOBS no-op jobs with Queue.addBulk in
// chunks of 1,000, resume (Queue.resume), and time from the first look (LLEN every 5 ms) that
// finds jobs done to the last job done; the jobs found done at that first look are not counted.
// Then every job must have run exactly once (JOBS entries, JOBS distinct ids, the ids enqueued).
// One JSON line per drain on stdout (cold first, then the warm ones) and a warm-median line.
import { Queue } from 'bullmq';
import Redis from 'ioredis';
import { setTimeout as sleep } from 'node:timers/promises';
import { createRequire } from 'node:module';
import { QUEUE, DONE_KEY, VERSION, connectionFrom } from './common.mjs';

const IOREDIS_VERSION = createRequire(import.meta.url)('ioredis/package.json').version;

const CHUNK = 1000;
const POLL_MS = 5;
const TIMEOUT_S = 900;

const [url, jobsArg, repeatsArg, workersArg, concurrencyArg] = process.argv.slice(2);
const redis = new Redis(url, { maxRetriesPerRequest: null });

async function deleteKeys(pattern) {
  let cursor = '0';
  let deleted = 0;
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', pattern, 'COUNT', 1000);
    cursor = next;
    if (keys.length) deleted += await redis.unlink(...keys);
  } while (cursor !== '0');
  return deleted;
}

if (jobsArg === 'clean') {
  // This peer's keys only: BullMQ's under bull:peerbench:, the bench's under peerbench:.
  await deleteKeys(`bull:${QUEUE}:*`);
  await deleteKeys('peerbench:*');
  await redis.quit();
  process.exit(0);
}

const jobs = Number(jobsArg);
const repeats = Number(repeatsArg);
const workers = Number(workersArg);
const concurrency = Number(concurrencyArg);
const queue = new Queue(QUEUE, { connection: connectionFrom(url) });
await queue.waitUntilReady();

// Redis's commands processed and CPU seconds so far (INFO stats, INFO cpu).
async function redisCounters() {
  const text = (await redis.info('stats')) + (await redis.info('cpu'));
  const field = (name) => Number(new RegExp(`^${name}:([0-9.]+)`, 'm').exec(text)[1]);
  return { commands: field('total_commands_processed'), cpu: field('used_cpu_sys') + field('used_cpu_user') };
}

async function verifyExactlyOnce(ids) {
  const done = [];
  const length = await redis.llen(DONE_KEY);
  for (let start = 0; start < length; start += 50000) {
    done.push(...(await redis.lrange(DONE_KEY, start, start + 49999)));
  }
  const distinct = new Set(done);
  const expected = new Set(ids);
  let same = distinct.size === expected.size;
  if (same) for (const id of distinct) if (!expected.has(id)) { same = false; break; }
  if (done.length !== ids.length || !same) {
    throw new Error(`Exactly-once check failed: ${ids.length} enqueued, ${done.length} runs of ${distinct.size} distinct jobs`);
  }
}

async function drain() {
  await redis.del(DONE_KEY);
  await queue.pause();
  const enqueueStart = process.hrtime.bigint();
  const ids = [];
  for (let start = 0; start < jobs; start += CHUNK) {
    const n = Math.min(CHUNK, jobs - start);
    const batch = new Array(n);
    for (let i = 0; i < n; i++) {
      batch[i] = { name: 'noop', data: {}, opts: { removeOnComplete: true } };
    }
    for (const job of await queue.addBulk(batch)) ids.push(job.id);
  }
  const enqueueSeconds = Number(process.hrtime.bigint() - enqueueStart) / 1e9;
  const countersBefore = await redisCounters();
  await queue.resume();
  const resumed = process.hrtime.bigint();
  let firstDone = 0n;
  let doneAtFirst = 0;
  let lastDone;
  for (;;) {
    const done = await redis.llen(DONE_KEY);
    const now = process.hrtime.bigint();
    if (firstDone === 0n && done > 0) {
      firstDone = now;
      doneAtFirst = done;
    }
    if (done >= jobs) {
      lastDone = now;
      break;
    }
    if (Number(now - resumed) / 1e9 > TIMEOUT_S) {
      throw new Error(`Drain did not finish in ${TIMEOUT_S} s: ${done} of ${jobs}`);
    }
    await sleep(POLL_MS);
  }
  const countersAfter = await redisCounters();
  await verifyExactlyOnce(ids);
  // A job run twice might land just after the last: look again a moment later.
  await sleep(500);
  const after = await redis.llen(DONE_KEY);
  if (after !== jobs) {
    throw new Error(`Exactly-once check failed: ${after} runs of ${jobs} jobs 0.5 s after the drain`);
  }
  const seconds = Number(lastDone - firstDone) / 1e9;
  return {
    seconds,
    jobs_per_s: seconds > 0 ? (jobs - doneAtFirst) / seconds : null,
    done_at_first_look: doneAtFirst,
    first_done_after_resume_s: Number(firstDone - resumed) / 1e9,
    enqueue_jobs_per_s: jobs / enqueueSeconds,
    // Whole drain, from the resume; includes the driver's LLEN every 5 ms.
    redis_commands_per_job: (countersAfter.commands - countersBefore.commands) / jobs,
    redis_cpu_us_per_job: ((countersAfter.cpu - countersBefore.cpu) * 1e6) / jobs,
  };
}

function line(drainName, result) {
  const base = {
    peer: 'bullmq', version: VERSION, drain: drainName, workers, concurrency, jobs,
    setting: `${workers} process x concurrency ${concurrency}`,
    runtime: `node ${process.versions.node}, ioredis ${IOREDIS_VERSION}`,
  };
  for (const [k, v] of Object.entries(result)) {
    base[k] = typeof v === 'number' && !Number.isInteger(v) ? Number(v.toFixed(k === 'seconds' || k.endsWith('after_resume_s') ? 4 : 1)) : v;
  }
  console.log(JSON.stringify(base));
}

try {
  line('cold', await drain());
  const warm = [];
  for (let r = 0; r < repeats; r++) {
    await sleep(1000);
    const result = await drain();
    warm.push(result.jobs_per_s);
    line('warm', result);
  }
  if (warm.length) {
    const sorted = [...warm].sort((a, b) => a - b);
    const mid = Math.floor(sorted.length / 2);
    const median = sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
    line('warm-median', { repeats: warm.length, jobs_per_s: median, slowest: sorted[0], fastest: sorted[sorted.length - 1] });
  }
} finally {
  await queue.close();
  await redis.quit();
}
