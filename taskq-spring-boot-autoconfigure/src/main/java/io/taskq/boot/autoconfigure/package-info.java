@NullMarked
package io.taskq.boot.autoconfigure;

import org.jspecify.annotations.NullMarked;
