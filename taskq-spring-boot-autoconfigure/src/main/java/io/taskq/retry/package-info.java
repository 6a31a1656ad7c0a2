@NullMarked
package io.taskq.retry;

import org.jspecify.annotations.NullMarked;
