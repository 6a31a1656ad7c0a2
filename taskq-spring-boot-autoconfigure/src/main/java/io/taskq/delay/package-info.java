@NullMarked
package io.taskq.delay;

import org.jspecify.annotations.NullMarked;
