package io.taskq.dashboard;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Predicate;

import org.jspecify.annotations.Nullable;

import org.springframework.data.redis.core.StringRedisTemplate;

/**
 * Pages through a sorted set of job ids by score, reading the jobs in chunks and keeping
 * those a filter accepts, but examining at most {@value #MAX_EXAMINED} ids per page: a
 * filter that matches few jobs answers fewer rows with a cursor to go on from, so no
 * request reads a whole set.
 */
final class BoundedScan {

	static final int MAX_EXAMINED = 1000;

	static final int MAX_LIMIT = 200;

	private static final int CHUNK = 200;

	private final StringRedisTemplate redis;

	BoundedScan(StringRedisTemplate redis) {
		this.redis = redis;
	}

	/**
	 * @param key the sorted set
	 * @param newestFirst whether to go from the highest score down
	 * @param filter bounds the scores
	 * @param cursor where to start, {@code null} for the first page
	 * @param limit the most rows to answer
	 * @param read reads the jobs of some ids, {@code null} for an id whose job is gone
	 * @param accept whether a job belongs on the page
	 */
	<T> Page<T> page(String key, boolean newestFirst, JobFilter filter, @Nullable String cursor, int limit,
			Function<List<String>, List<@Nullable T>> read, Predicate<T> accept) {
		if (limit < 1 || limit > MAX_LIMIT) {
			throw new IllegalArgumentException(
					"limit must be between 1 and " + MAX_LIMIT + " (was " + limit + "); ask for the next page instead");
		}
		long offset = offset(cursor);
		double min = (filter.from() != null) ? filter.from().toEpochMilli() : Double.NEGATIVE_INFINITY;
		double max = (filter.to() != null) ? filter.to().toEpochMilli() : Double.POSITIVE_INFINITY;
		List<T> rows = new ArrayList<>();
		int examined = 0;
		boolean more = true;
		while (rows.size() < limit && examined < MAX_EXAMINED && more) {
			int count = Math.min(CHUNK, MAX_EXAMINED - examined);
			Set<String> ids = newestFirst
					? this.redis.opsForZSet().reverseRangeByScore(key, min, max, offset + examined, count)
					: this.redis.opsForZSet().rangeByScore(key, min, max, offset + examined, count);
			List<String> idList = (ids != null) ? new ArrayList<>(ids) : List.of();
			more = idList.size() == count;
			List<@Nullable T> jobs = read.apply(idList);
			for (int i = 0; i < idList.size(); i++) {
				examined++;
				T job = jobs.get(i);
				if (job != null && accept.test(job)) {
					rows.add(job);
					if (rows.size() == limit) {
						more = more || i < idList.size() - 1;
						break;
					}
				}
			}
		}
		String next = more ? Long.toString(offset + examined) : null;
		return new Page<>(rows, next);
	}

	/**
	 * The ids of every job the pages answer, page after page from the first, up to
	 * {@code max}: what a bulk action by filter acts on.
	 * @param page one page of at most {@link #MAX_LIMIT} jobs from a cursor
	 */
	static <T> List<String> ids(Function<@Nullable String, JobPage<T>> page, Function<T, String> id, int max) {
		List<String> ids = new ArrayList<>();
		String cursor = null;
		do {
			JobPage<T> next = page.apply(cursor);
			next.jobs().forEach((job) -> ids.add(id.apply(job)));
			cursor = next.nextCursor();
		}
		while (cursor != null && ids.size() < max);
		return (ids.size() > max) ? ids.subList(0, max) : ids;
	}

	private static long offset(@Nullable String cursor) {
		if (cursor == null || cursor.isEmpty()) {
			return 0;
		}
		try {
			long offset = Long.parseLong(cursor);
			if (offset >= 0) {
				return offset;
			}
		}
		catch (NumberFormatException ex) {
			// Reported below.
		}
		throw new IllegalArgumentException("cursor '" + cursor + "' is not one this dashboard gave out;"
				+ " leave it out for the first page, or pass a page's nextCursor");
	}

	/**
	 * Rows and where the next page starts.
	 *
	 * @param <T> the row type
	 * @param rows the rows
	 * @param nextCursor the next page's cursor, {@code null} at the end
	 */
	record Page<T>(List<T> rows, @Nullable String nextCursor) {

	}

}
