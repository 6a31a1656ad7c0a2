package io.taskq.dashboard;

import org.springframework.http.HttpStatus;

/**
 * A request the dashboard refuses, with the status to answer and a message naming the
 * reason and the fix.
 */
class DashboardException extends RuntimeException {

	private final HttpStatus status;

	DashboardException(HttpStatus status, String message) {
		super(message);
		this.status = status;
	}

	HttpStatus status() {
		return this.status;
	}

	static DashboardException readOnly() {
		return new DashboardException(HttpStatus.FORBIDDEN, "The taskq dashboard is read-only: set"
				+ " taskq.dashboard.read-only=false to allow retries, deletes, pauses and triggers");
	}

	static DashboardException notFound(String what) {
		return new DashboardException(HttpStatus.NOT_FOUND, what);
	}

}
