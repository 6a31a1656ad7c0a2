/**
 * taskq: background jobs on Redis Streams. User-facing value types live here.
 */
@NullMarked
package io.taskq;

import org.jspecify.annotations.NullMarked;
