package io.taskq.dashboard;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

import org.springframework.core.io.ClassPathResource;
import org.springframework.http.CacheControl;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestMapping;

/**
 * The dashboard's page: the same HTML for every view (the views are client-side routes),
 * at the dashboard's path with a trailing slash, so the page's relative links to its
 * assets and API resolve under it.
 */
@Controller
@RequestMapping("${taskq.dashboard.path:/taskq}")
class DashboardPageController {

	static final String STATIC = "io/taskq/dashboard/static/";

	/**
	 * The page runs only its own scripts and styles and talks only to its own server: a
	 * payload or error message that holds markup can never run.
	 */
	static final String CONTENT_SECURITY_POLICY = "default-src 'none'; script-src 'self'; style-src 'self'; "
			+ "img-src 'self' data:; connect-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

	private final String page;

	private final String lastSegment;

	DashboardPageController(DashboardSettings settings) {
		this.lastSegment = settings.path().substring(settings.path().lastIndexOf('/') + 1);
		try {
			this.page = new ClassPathResource(STATIC + "index.html").getContentAsString(StandardCharsets.UTF_8);
		}
		catch (IOException ex) {
			throw new UncheckedIOException("The taskq dashboard's page is missing from the taskq jar", ex);
		}
	}

	/** Redirects to the path with a slash, relative so a servlet context path is kept. */
	@GetMapping("")
	ResponseEntity<Void> withoutSlash() {
		return ResponseEntity.status(HttpStatus.FOUND).header(HttpHeaders.LOCATION, this.lastSegment + "/").build();
	}

	@GetMapping("/")
	ResponseEntity<String> page() {
		return ResponseEntity.ok()
			.contentType(new MediaType(MediaType.TEXT_HTML, StandardCharsets.UTF_8))
			.cacheControl(CacheControl.noCache())
			.header("Content-Security-Policy", CONTENT_SECURITY_POLICY)
			.body(this.page);
	}

}
