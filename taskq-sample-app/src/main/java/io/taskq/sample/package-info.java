/**
 * A small web application showing taskq: immediate, delayed, failing and slow jobs.
 */
@NullMarked
package io.taskq.sample;

import org.jspecify.annotations.NullMarked;
