/**
 * A real {@code redis-server} for tests: started on a free loopback port, always stopped.
 */
@NullMarked
package io.taskq.testing;

import org.jspecify.annotations.NullMarked;
