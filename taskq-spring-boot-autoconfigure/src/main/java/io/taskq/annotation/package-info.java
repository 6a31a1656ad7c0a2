@NullMarked
package io.taskq.annotation;

import org.jspecify.annotations.NullMarked;
