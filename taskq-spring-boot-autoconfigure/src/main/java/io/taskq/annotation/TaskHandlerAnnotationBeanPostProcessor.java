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
		TaskHandler annotation = handler.annotation();
		Integer retries = number(annotation.maxRetries(), "maxRetries", description);
		Duration slowThreshold = duration(annotation.slowThreshold(), "slowThreshold", description);
		Duration timeout = duration(annotation.timeout(), "timeout", description);
		if (timeout != null && timeout.toMillis() <= 0) {
			throw new IllegalStateException("@TaskHandler on " + description + " has a timeout that is not positive");
		}
		Integer concurrencyLimit = number(annotation.concurrencyLimit(), "concurrencyLimit", description);
		HandlerMethodInvoker invoker = HandlerMethodInvoker.prepare(handler.bean(), handler.method(), codec);
		String track = resolve(annotation.track()).trim();
		if (StringUtils.hasText(track) && !track.equals("true") && !track.equals("false")) {
			throw new IllegalStateException(
					"@TaskHandler on " + description + " has track '" + track + "', not true or false");
		}
		boolean tracked = StringUtils.hasText(track) ? Boolean.parseBoolean(track) : invoker.returnsValue();
		return new TaskEndpoint(task, StringUtils.hasText(queue) ? queue : this.defaultQueue, retries, slowThreshold,
				timeout, tracked, (concurrencyLimit != null) ? concurrencyLimit : 0, invoker, description);
	}

	private @Nullable Integer number(String attribute, String name, String description) {
		String value = resolve(attribute);
		if (!StringUtils.hasText(value)) {
			return null;
		}
		int number;
		try {
			number = Integer.parseInt(value.trim());
		}
		catch (NumberFormatException ex) {
			throw new IllegalStateException(
					"@TaskHandler on " + description + " has " + name + " '" + value + "', not a number");
		}
		if (number < 0) {
			throw new IllegalStateException("@TaskHandler on " + description + " has negative " + name);
		}
		return number;
	}

	private @Nullable Duration duration(String attribute, String name, String description) {
		String value = resolve(attribute);
		if (!StringUtils.hasText(value)) {
			return null;
		}
		try {
			return DurationFormatterUtils.detectAndParse(value.trim());
		}
		catch (IllegalArgumentException ex) {
			throw new IllegalStateException(
					"@TaskHandler on " + description + " has " + name + " '" + value + "', not a duration");
		}
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
