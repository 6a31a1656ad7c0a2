// Settings shared by the BullMQ worker and driver.
import { createRequire } from 'node:module';

export const QUEUE = 'peerbench';
export const DONE_KEY = 'peerbench:done';
export const READY_KEY = 'peerbench:ready';
export const VERSION = createRequire(import.meta.url)('bullmq/package.json').version;

// BullMQ connection options from a redis:// URL (database number included).
export function connectionFrom(url) {
  const u = new URL(url);
  const db = u.pathname.length > 1 ? Number(u.pathname.slice(1)) : 0;
  return {
    host: u.hostname,
    port: u.port ? Number(u.port) : 6379,
    db,
    username: u.username ? decodeURIComponent(u.username) : undefined,
    password: u.password ? decodeURIComponent(u.password) : undefined,
    // Required by BullMQ for the connections its workers block on.
    maxRetriesPerRequest: null,
  };
}
