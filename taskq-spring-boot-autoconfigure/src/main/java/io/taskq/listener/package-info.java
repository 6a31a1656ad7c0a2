@NullMarked
package io.taskq.listener;

import org.jspecify.annotations.NullMarked;
