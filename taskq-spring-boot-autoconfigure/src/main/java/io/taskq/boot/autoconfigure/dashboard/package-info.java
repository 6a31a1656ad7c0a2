/**
 * Auto-configuration of the taskq dashboard.
 */
@NullMarked
package io.taskq.boot.autoconfigure.dashboard;

import org.jspecify.annotations.NullMarked;
