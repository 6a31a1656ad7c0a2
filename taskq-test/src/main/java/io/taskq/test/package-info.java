/**
 * Testing applications that use taskq: {@link io.taskq.test.TaskqTest} for Spring test
 * contexts, {@link io.taskq.test.TestJobQueues} for jobs on Redis, and
 * {@link io.taskq.test.CapturedJobs} for the Redis-free modes.
 */
@NullMarked
package io.taskq.test;

import org.jspecify.annotations.NullMarked;
