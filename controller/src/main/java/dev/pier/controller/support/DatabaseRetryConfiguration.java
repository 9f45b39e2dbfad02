package dev.pier.controller.support;

import javax.sql.DataSource;
import org.springframework.aop.Advisor;
import org.springframework.aop.support.ComposablePointcut;
import org.springframework.aop.support.DefaultPointcutAdvisor;
import org.springframework.aop.support.annotation.AnnotationMatchingPointcut;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.transaction.annotation.Transactional;

/** Puts {@link DatabaseRetry} around every {@code @Transactional} method of the controller, outside the transaction. */
@Configuration(proxyBeanMethods = false)
public class DatabaseRetryConfiguration {

    @Bean
    static Advisor databaseRetryAdvisor(ObjectProvider<DataSource> dataSource) {
        ComposablePointcut transactional = new ComposablePointcut(
                AnnotationMatchingPointcut.forClassAnnotation(Transactional.class))
                .union(AnnotationMatchingPointcut.forMethodAnnotation(Transactional.class));
        DefaultPointcutAdvisor advisor = new DefaultPointcutAdvisor(transactional,
                new LazyDatabaseRetry(dataSource));
        advisor.setOrder(Ordered.HIGHEST_PRECEDENCE);
        return advisor;
    }

    /** Resolves the data source on first use: an advisor is made before the beans it advises. */
    private static final class LazyDatabaseRetry implements org.aopalliance.intercept.MethodInterceptor {
        private final ObjectProvider<DataSource> dataSource;
        private volatile DatabaseRetry retry;

        LazyDatabaseRetry(ObjectProvider<DataSource> dataSource) {
            this.dataSource = dataSource;
        }

        @Override
        public Object invoke(org.aopalliance.intercept.MethodInvocation invocation) throws Throwable {
            DatabaseRetry current = retry;
            if (current == null) {
                current = new DatabaseRetry(dataSource.getObject());
                retry = current;
            }
            return current.invoke(invocation);
        }
    }
}
