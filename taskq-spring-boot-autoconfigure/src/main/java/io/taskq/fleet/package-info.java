/**
 * Fleet-wide figures and the instance heartbeat: what every instance reports to Redis for
 * the dashboard, and how the dashboard reads it back.
 */
@NullMarked
package io.taskq.fleet;

import org.jspecify.annotations.NullMarked;
