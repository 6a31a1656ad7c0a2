@NullMarked
package io.taskq.client;

import org.jspecify.annotations.NullMarked;
