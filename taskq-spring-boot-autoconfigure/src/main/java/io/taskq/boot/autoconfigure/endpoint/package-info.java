@NullMarked
package io.taskq.boot.autoconfigure.endpoint;

import org.jspecify.annotations.NullMarked;
