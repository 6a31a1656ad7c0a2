package io.taskq.dashboard;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;

import io.taskq.client.QueueControl;
import io.taskq.testing.RedisServerExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.security.core.userdetails.User;
import org.springframework.security.provisioning.InMemoryUserDetailsManager;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * README's one-bean recipe for Spring Security, on the real dashboard: the application's
 * filter chain applies to it; signed-in users read, only the admin role writes, and a
 * write needs the CSRF token the page sends from the cookie.
 */
class DashboardSecurityIntegrationTests {

	@RegisterExtension
	static final RedisServerExtension redis = new RedisServerExtension();

	@Test
	void readsNeedASignInAndWritesTheAdminRoleAndTheCsrfToken() {
		try (ConfigurableApplicationContext web = DashboardApps.secured(redis.server(), Users.class,
				"taskq.dashboard.enabled=true", "taskq.dashboard.read-only=false", "taskq.consumer-name=web-secured")) {
			assertThat(get(web, "/taskq/api/config", null).statusCode()).isEqualTo(401);
			assertThat(get(web, "/taskq/api/config", "viewer").statusCode()).isEqualTo(200);

			HttpResponse<String> page = get(web, "/taskq/", "viewer");
			assertThat(page.statusCode()).isEqualTo(200);
			String token = csrfCookie(page);
			assertThat(post(web, "/taskq/api/queues/default/pause", "viewer", token).statusCode()).isEqualTo(403);
			assertThat(post(web, "/taskq/api/queues/default/pause", "admin", null).statusCode()).isEqualTo(403);
			assertThat(web.getBean(QueueControl.class).isPaused("default")).isFalse();
			assertThat(post(web, "/taskq/api/queues/default/pause", "admin", token).statusCode()).isEqualTo(200);
			assertThat(web.getBean(QueueControl.class).isPaused("default")).isTrue();
		}
	}

	private static HttpResponse<String> get(ConfigurableApplicationContext web, String path, String user) {
		HttpRequest.Builder request = HttpRequest.newBuilder(DashboardApps.uri(web, path)).GET();
		if (user != null) {
			request.header("Authorization", basic(user));
		}
		return DashboardApps.raw(web, request);
	}

	private static HttpResponse<String> post(ConfigurableApplicationContext web, String path, String user,
			String token) {
		HttpRequest.Builder request = HttpRequest.newBuilder(DashboardApps.uri(web, path))
			.header("Authorization", basic(user))
			.header("Content-Type", "application/json")
			.POST(HttpRequest.BodyPublishers.ofString("{}"));
		if (token != null) {
			request.header("Cookie", "XSRF-TOKEN=" + token).header("X-XSRF-TOKEN", token);
		}
		return DashboardApps.raw(web, request);
	}

	private static String csrfCookie(HttpResponse<String> response) {
		List<String> cookies = response.headers().allValues("Set-Cookie");
		for (String cookie : cookies) {
			if (cookie.startsWith("XSRF-TOKEN=")) {
				return cookie.substring("XSRF-TOKEN=".length(), cookie.indexOf(';'));
			}
		}
		throw new AssertionError("No XSRF-TOKEN cookie in " + cookies);
	}

	private static String basic(String user) {
		return "Basic " + Base64.getEncoder().encodeToString((user + ":secret").getBytes(StandardCharsets.UTF_8));
	}

	@Configuration(proxyBeanMethods = false)
	@Import(DashboardSecurity.class)
	static class Users {

		@Bean
		InMemoryUserDetailsManager users() {
			return new InMemoryUserDetailsManager(User.withUsername("viewer").password("{noop}secret").roles().build(),
					User.withUsername("admin").password("{noop}secret").roles("TASKQ_ADMIN").build());
		}

	}

}
