package io.taskq.annotation;

import java.lang.reflect.Method;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import io.taskq.listener.TaskEndpointRegistry;
import io.taskq.listener.adapter.HandlerMethodInvoker;
import io.taskq.listener.adapter.TaskEndpoint;
import io.taskq.recurring.RecurringJob;
import io.taskq.recurring.RecurringJobParser;
import io.taskq.recurring.RecurringJobRegistry;
import io.taskq.support.PayloadCodec;
import org.jspecify.annotations.Nullable;

import org.springframework.aop.support.AopUtils;
import org.springframework.beans.BeansException;
import org.springframework.beans.factory.BeanFactory;
import org.springframework.beans.factory.BeanFactoryAware;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.beans.factory.config.ConfigurableBeanFactory;
import org.springframework.core.MethodIntrospector;
import org.springframework.core.annotation.AnnotatedElementUtils;
import org.springframework.format.datetime.standard.DurationFormatterUtils;
import org.springframework.util.StringUtils;

/**
 * Finds {@link TaskHandler @TaskHandler} methods on beans and registers them, once every
 * singleton exists, in the {@link TaskEndpointRegistry}, and those with a schedule in the
 * {@link RecurringJobRegistry}. It never talks to Redis. Classes without handlers are
 * remembered so they are not scanned twice.
 */
public class TaskHandlerAnnotationBeanPostProcessor
		implements BeanPostProcessor, BeanFactoryAware, SmartInitializingSingleton {

	private final String defaultQueue;

	private final Set<Class<?>> classesWithoutHandlers = Collections.newSetFromMap(new ConcurrentHashMap<>());

	private final List<FoundHandler> found = Collections.synchronizedList(new ArrayList<>());

	private @Nullable ConfigurableBeanFactory beanFactory;

	public TaskHandlerAnnotationBeanPostProcessor(String defaultQueue) {
		this.defaultQueue = defaultQueue;
	}

	@Override
	public void setBeanFactory(BeanFactory beanFactory) {
		if (beanFactory instanceof ConfigurableBeanFactory configurable) {
			this.beanFactory = configurable;
		}
	}

	@Override
	public Object postProcessAfterInitialization(Object bean, String beanName) throws BeansException {
		Class<?> targetClass = AopUtils.getTargetClass(bean);
		if (this.classesWithoutHandlers.contains(targetClass)) {
			return bean;
		}
		Map<Method, TaskHandler> methods = MethodIntrospector.selectMethods(targetClass,
				(MethodIntrospector.MetadataLookup<TaskHandler>) (method) -> AnnotatedElementUtils
					.findMergedAnnotation(method, TaskHandler.class));
		if (methods.isEmpty()) {
			this.classesWithoutHandlers.add(targetClass);
			return bean;
		}
		methods.forEach((method, annotation) -> this.found.add(new FoundHandler(bean, beanName, method, annotation)));
		return bean;
	}

	@Override
	public void afterSingletonsInstantiated() {
		if (this.beanFactory == null) {
			return;
		}
		TaskEndpointRegistry registry = this.beanFactory.getBean(TaskEndpointRegistry.class);
		PayloadCodec codec = this.beanFactory.getBean(PayloadCodec.class);
		for (FoundHandler handler : this.found) {
			TaskEndpoint endpoint = toEndpoint(handler, codec);
			registry.register(endpoint);
			registerSchedule(handler, endpoint);
		}
		this.found.clear();
	}

	private TaskEndpoint toEndpoint(FoundHandler handler, PayloadCodec codec) {
		String description = "bean '" + handler.beanName() + "' method " + handler.method().getName();
		String task = resolve(handler.annotation().task());
		if (!StringUtils.hasText(task)) {
			throw new IllegalStateException("@TaskHandler on " + description + " names no task");
		}
		String queue = resolve(handler.annotation().queue());
		String maxRetries = resolve(handler.annotation().maxRetries());
		Integer retries = null;
		if (StringUtils.hasText(maxRetries)) {
			try {
				retries = Integer.valueOf(maxRetries.trim());
			}
			catch (NumberFormatException ex) {
				throw new IllegalStateException(
						"@TaskHandler on " + description + " has maxRetries '" + maxRetries + "', not a number");
			}
			if (retries < 0) {
				throw new IllegalStateException("@TaskHandler on " + description + " has negative maxRetries");
			}
		}
		Duration slowThreshold = null;
		String threshold = resolve(handler.annotation().slowThreshold());
		if (StringUtils.hasText(threshold)) {
			try {
				slowThreshold = DurationFormatterUtils.detectAndParse(threshold.trim());
			}
			catch (IllegalArgumentException ex) {
				throw new IllegalStateException(
						"@TaskHandler on " + description + " has slowThreshold '" + threshold + "', not a duration");
			}
		}
		HandlerMethodInvoker invoker = HandlerMethodInvoker.prepare(handler.bean(), handler.method(), codec);
		return new TaskEndpoint(task, StringUtils.hasText(queue) ? queue : this.defaultQueue, retries, slowThreshold,
				invoker, description);
	}

	private void registerSchedule(FoundHandler handler, TaskEndpoint endpoint) {
		TaskHandler annotation = handler.annotation();
		RecurringJob job = RecurringJobParser.parse(endpoint.task(), endpoint.queue(), resolve(annotation.cron()),
				resolve(annotation.zone()), resolve(annotation.every()), resolve(annotation.misfire()),
				handler.method(), endpoint.description());
		if (job != null && this.beanFactory != null) {
			this.beanFactory.getBean(RecurringJobRegistry.class).register(job);
		}
	}

	private String resolve(String value) {
		if (this.beanFactory == null || !StringUtils.hasText(value)) {
			return value;
		}
		String resolved = this.beanFactory.resolveEmbeddedValue(value);
		return (resolved != null) ? resolved : value;
	}

	private record FoundHandler(Object bean, String beanName, Method method, TaskHandler annotation) {
	}

}
