package io.taskq.boot.autoconfigure.dashboard;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The taskq dashboard, served by the application under {@code taskq.dashboard.path}.
 * Payloads are shown only with {@code taskq.show-payloads=true}.
 */
@ConfigurationProperties("taskq.dashboard")
public class TaskqDashboardProperties {

	/**
	 * Whether the dashboard is served. Needs Spring MVC.
	 */
	private boolean enabled;

	/**
	 * Where the dashboard is served: starts with '/', does not end with one.
	 */
	private String path = "/taskq";

	/**
	 * Whether the dashboard refuses writes (retries, deletes, run-now, pauses, resumes,
	 * triggers). With Spring Security, the application's own rules apply on top.
	 */
	private boolean readOnly = true;

	/**
	 * How often the page refreshes what it shows.
	 */
	private Duration refreshInterval = Duration.ofSeconds(2);

	public boolean isEnabled() {
		return this.enabled;
	}

	public void setEnabled(boolean enabled) {
		this.enabled = enabled;
	}

	public String getPath() {
		return this.path;
	}

	public void setPath(String path) {
		this.path = path;
	}

	public boolean isReadOnly() {
		return this.readOnly;
	}

	public void setReadOnly(boolean readOnly) {
		this.readOnly = readOnly;
	}

	public Duration getRefreshInterval() {
		return this.refreshInterval;
	}

	public void setRefreshInterval(Duration refreshInterval) {
		this.refreshInterval = refreshInterval;
	}

}
