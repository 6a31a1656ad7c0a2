package io.taskq.boot.autoconfigure.dashboard;

import io.taskq.dashboard.DashboardSettings;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.boot.web.server.context.WebServerInitializedEvent;
import org.springframework.context.ApplicationListener;

/**
 * Logs where the dashboard is once the web server listens, so a developer finds it in the
 * start-up log.
 */
class DashboardAnnouncer implements ApplicationListener<WebServerInitializedEvent> {

	private static final Log logger = LogFactory.getLog(DashboardAnnouncer.class);

	private final DashboardSettings settings;

	DashboardAnnouncer(DashboardSettings settings) {
		this.settings = settings;
	}

	@Override
	public void onApplicationEvent(WebServerInitializedEvent event) {
		if (event.getApplicationContext().getServerNamespace() != null) {
			// A management server of its own, not the application's.
			return;
		}
		String contextPath = event.getApplicationContext()
			.getEnvironment()
			.getProperty("server.servlet.context-path", "");
		logger.info("taskq dashboard: http://localhost:" + event.getWebServer().getPort() + contextPath
				+ this.settings.path() + "/" + (this.settings.readOnly() ? " (read-only)" : ""));
	}

}
