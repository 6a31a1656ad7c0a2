@NullMarked
package io.taskq.support;

import org.jspecify.annotations.NullMarked;
