package io.taskq.dashboard;

import java.io.IOException;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.autoconfigure.context.PropertyPlaceholderAutoConfiguration;
import org.springframework.boot.http.converter.autoconfigure.HttpMessageConvertersAutoConfiguration;
import org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration;
import org.springframework.boot.tomcat.autoconfigure.servlet.TomcatServletWebServerAutoConfiguration;
import org.springframework.boot.webmvc.autoconfigure.DispatcherServletAutoConfiguration;
import org.springframework.boot.webmvc.autoconfigure.WebMvcAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.core.io.ClassPathResource;
import org.springframework.core.io.Resource;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.filter.OncePerRequestFilter;
import org.springframework.web.servlet.config.annotation.ResourceHandlerRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

/**
 * A stub of the dashboard's server side, for building and testing the page before the
 * real one exists: the static files from where the jar keeps them, uPlot from its WebJar,
 * and {@link DashboardStubController}'s made-up API, at {@code stub.path} ({@code /taskq}
 * by default). Only Spring MVC and Tomcat are configured: no Redis, no taskq.
 * <p>
 * Run {@link #main} from the IDE and open http://localhost:8080/taskq/. The page is
 * served with a strict Content-Security-Policy, so a page that needs inline script or
 * style fails here first.
 */
@SpringBootConfiguration(proxyBeanMethods = false)
@ImportAutoConfiguration({ PropertyPlaceholderAutoConfiguration.class, TomcatServletWebServerAutoConfiguration.class,
		DispatcherServletAutoConfiguration.class, WebMvcAutoConfiguration.class,
		HttpMessageConvertersAutoConfiguration.class, JacksonAutoConfiguration.class })
@Import({ DashboardStubController.class, DashboardStubApplication.Page.class })
public class DashboardStubApplication implements WebMvcConfigurer {

	static final String UPLOT = "classpath:/META-INF/resources/webjars/uplot/1.6.30/dist/";

	static final String STATIC = "classpath:/io/taskq/dashboard/static/";

	static final String CONTENT_SECURITY_POLICY = "default-src 'none'; script-src 'self'; style-src 'self'; "
			+ "img-src 'self' data:; connect-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

	private final String path;

	DashboardStubApplication(@Value("${stub.path:/taskq}") String path) {
		this.path = path;
	}

	public static void main(String[] args) {
		SpringApplication.run(DashboardStubApplication.class, args);
	}

	@Bean
	DashboardStubData dashboardStubData() {
		return new DashboardStubData();
	}

	@Override
	public void addResourceHandlers(ResourceHandlerRegistry registry) {
		registry.addResourceHandler(this.path + "/assets/vendor/**").addResourceLocations(UPLOT);
		registry.addResourceHandler(this.path + "/assets/**").addResourceLocations(STATIC);
	}

	/** The API answers 503 while a test has switched the stub off. */
	@Bean
	OncePerRequestFilter dashboardStubSwitch(DashboardStubData data) {
		return new OncePerRequestFilter() {

			@Override
			protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
					throws ServletException, IOException {
				if (data.down() && request.getRequestURI().contains("/api/")) {
					response.setStatus(503);
					return;
				}
				chain.doFilter(request, response);
			}

		};
	}

	@Controller
	static class Page {

		private final String path;

		Page(@Value("${stub.path:/taskq}") String path) {
			this.path = path;
		}

		@GetMapping("${stub.path:/taskq}/")
		ResponseEntity<Resource> index() {
			return ResponseEntity.ok()
				.contentType(MediaType.TEXT_HTML)
				.header("Content-Security-Policy", CONTENT_SECURITY_POLICY)
				.header("Cache-Control", "no-store")
				.body(new ClassPathResource("io/taskq/dashboard/static/index.html"));
		}

		/**
		 * As the real dashboard must: the page's relative URLs need the trailing slash.
		 */
		@GetMapping("${stub.path:/taskq}")
		ResponseEntity<Void> slash() {
			return ResponseEntity.status(302).header("Location", this.path + "/").build();
		}

	}

}
