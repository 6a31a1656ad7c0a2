package io.taskq.dashboard;

import java.time.Duration;

import org.springframework.util.Assert;

/**
 * How the dashboard is served.
 *
 * @param path where it is served, such as {@code /taskq}: starts with a slash, does not
 * end with one
 * @param readOnly whether writes (retries, deletes, pauses, triggers) are refused
 * @param showPayloads whether job payloads are shown
 * @param refresh how often the page refreshes what it shows
 */
public record DashboardSettings(String path, boolean readOnly, boolean showPayloads, Duration refresh) {

	/** The {@code @RequestMapping} prefix of the dashboard's API. */
	static final String API = "${taskq.dashboard.path:/taskq}/api";

	public DashboardSettings {
		Assert.isTrue(path.startsWith("/") && !path.endsWith("/") && !path.contains("*") && !path.contains("{"),
				() -> "taskq.dashboard.path must start with '/', not end with '/', and hold no pattern (was '" + path
						+ "'); for example /taskq");
		Assert.isTrue(!refresh.isNegative() && !refresh.isZero(), "taskq.dashboard.refresh-interval must be positive");
	}

}
