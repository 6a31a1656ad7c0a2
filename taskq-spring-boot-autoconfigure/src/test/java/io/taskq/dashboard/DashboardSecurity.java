package io.taskq.dashboard;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpMethod;
import org.springframework.security.config.Customizer;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.web.SecurityFilterChain;

/**
 * README's recipe: anyone signed in may look at the dashboard, only {@code TASKQ_ADMIN}
 * may change anything; the page sends the CSRF token from the cookie.
 */
@Configuration(proxyBeanMethods = false)
class DashboardSecurity {

	@Bean
	SecurityFilterChain taskqDashboard(HttpSecurity http) throws Exception {
		return http.securityMatcher("/taskq/**")
			.authorizeHttpRequests((requests) -> requests.requestMatchers(HttpMethod.GET, "/taskq/**")
				.authenticated()
				.anyRequest()
				.hasRole("TASKQ_ADMIN"))
			.httpBasic(Customizer.withDefaults())
			.csrf((csrf) -> csrf.spa())
			.build();
	}

}
