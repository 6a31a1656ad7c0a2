/**
 * The web dashboard: its JSON API over the fleet's figures, jobs, recurring jobs and
 * instances, and the static page that uses it.
 */
@NullMarked
package io.taskq.dashboard;

import org.jspecify.annotations.NullMarked;
