/**
 * The {@code bench} command: drives the real starter and reports throughput, latency,
 * delayed-job lateness, idle cost and CPU per job.
 */
@NullMarked
package io.taskq.bench;

import org.jspecify.annotations.NullMarked;
