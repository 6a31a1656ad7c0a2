package io.taskq.test;

import java.util.List;

import org.jspecify.annotations.Nullable;

import org.springframework.test.context.ContextConfigurationAttributes;
import org.springframework.test.context.ContextCustomizer;
import org.springframework.test.context.ContextCustomizerFactory;
import org.springframework.test.context.TestContextAnnotationUtils;

/**
 * Finds {@link TaskqTest} on a test class (or an enclosing or super class) and sets its
 * context up accordingly. Registered in {@code META-INF/spring.factories}.
 */
class TaskqTestContextCustomizerFactory implements ContextCustomizerFactory {

	@Override
	public @Nullable ContextCustomizer createContextCustomizer(Class<?> testClass,
			List<ContextConfigurationAttributes> configAttributes) {
		TaskqTest annotation = TestContextAnnotationUtils.findMergedAnnotation(testClass, TaskqTest.class);
		return (annotation != null) ? new TaskqTestContextCustomizer(annotation.mode()) : null;
	}

}
