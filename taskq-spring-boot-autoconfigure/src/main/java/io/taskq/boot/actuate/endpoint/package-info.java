@NullMarked
package io.taskq.boot.actuate.endpoint;

import org.jspecify.annotations.NullMarked;
