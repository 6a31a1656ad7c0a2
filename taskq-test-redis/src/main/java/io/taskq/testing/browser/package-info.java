/**
 * A headless Chromium for browser tests of taskq's dashboard, from the machine's own
 * installation: nothing is downloaded, and tests are skipped where none is installed.
 */
@NullMarked
package io.taskq.testing.browser;

import org.jspecify.annotations.NullMarked;
