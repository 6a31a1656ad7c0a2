/**
 * Micrometer meters of taskq.
 */
@NullMarked
package io.taskq.support.micrometer;

import org.jspecify.annotations.NullMarked;
