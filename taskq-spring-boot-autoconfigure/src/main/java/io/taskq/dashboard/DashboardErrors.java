package io.taskq.dashboard;

import java.util.Map;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.dao.DataAccessException;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;

/**
 * Turns the dashboard API's failures into a status and {@code {"error": "..."}}.
 */
@RestControllerAdvice(assignableTypes = { DashboardReadController.class, DashboardJobsController.class,
		DashboardControlsController.class })
class DashboardErrors {

	private static final Log logger = LogFactory.getLog(DashboardErrors.class);

	@ExceptionHandler
	ResponseEntity<Map<String, String>> refused(DashboardException ex) {
		return error(ex.status(), ex.getMessage());
	}

	@ExceptionHandler
	ResponseEntity<Map<String, String>> badRequest(IllegalArgumentException ex) {
		return error(HttpStatus.BAD_REQUEST, ex.getMessage());
	}

	@ExceptionHandler
	ResponseEntity<Map<String, String>> unreadable(HttpMessageNotReadableException ex) {
		return error(HttpStatus.BAD_REQUEST, "The request body is not the JSON this request takes: "
				+ ex.getMostSpecificCause().getMessage() + "; see the dashboard's API in the taskq docs");
	}

	@ExceptionHandler
	ResponseEntity<Map<String, String>> redisFailed(DataAccessException ex) {
		logger.warn("The taskq dashboard could not read Redis", ex);
		return error(HttpStatus.SERVICE_UNAVAILABLE,
				"Redis did not answer (" + ex.getMostSpecificCause().getMessage() + "); try again when it is back");
	}

	private static ResponseEntity<Map<String, String>> error(HttpStatus status, String message) {
		return ResponseEntity.status(status).body(Map.of("error", String.valueOf(message)));
	}

}
