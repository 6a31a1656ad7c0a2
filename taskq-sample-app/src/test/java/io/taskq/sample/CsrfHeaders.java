package io.taskq.sample;

import java.io.IOException;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Records the CSRF header of every write to the dashboard's API, where Spring Security's
 * filter would read it.
 */
class CsrfHeaders extends OncePerRequestFilter {

	private final List<String> writes = new CopyOnWriteArrayList<>();

	@Override
	protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
			throws ServletException, IOException {
		if (request.getMethod().equals("POST") && request.getRequestURI().contains("/api/")) {
			this.writes.add(request.getRequestURI() + " " + request.getHeader("X-XSRF-TOKEN"));
		}
		chain.doFilter(request, response);
	}

	/** Each write as its path and token, in order. */
	List<String> writes() {
		return List.copyOf(this.writes);
	}

}
