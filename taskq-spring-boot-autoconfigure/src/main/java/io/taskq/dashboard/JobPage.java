package io.taskq.dashboard;

import java.util.List;

import org.jspecify.annotations.Nullable;

/**
 * One page of a job list.
 *
 * @param <T> the row type
 * @param jobs the jobs of the page
 * @param nextCursor where the next page starts, {@code null} at the end
 * @param total every job of the list, before filtering
 */
record JobPage<T>(List<T> jobs, @Nullable String nextCursor, long total) {

}
