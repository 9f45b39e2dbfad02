package dev.pier.controller.support;

import com.zaxxer.hikari.HikariDataSource;
import java.io.IOException;
import java.lang.reflect.Method;
import java.sql.SQLException;
import java.time.Duration;
import javax.sql.DataSource;
import org.aopalliance.intercept.MethodInterceptor;
import org.aopalliance.intercept.MethodInvocation;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.aop.ProxyMethodInvocation;
import org.springframework.aop.support.AopUtils;
import org.springframework.core.annotation.AnnotatedElementUtils;
import org.springframework.transaction.CannotCreateTransactionException;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * Runs a transaction again when PostgreSQL's connection broke under it (PostgreSQL restarted, or the network
 * dropped the pooled connection), where that is safe: a read-only transaction, or any transaction that failed
 * before it began. The pool's idle connections are evicted first (they went to the same dead server), so the
 * retry gets a fresh one; it waits for the server as long as the pool's connection timeout allows. Placed around
 * the outermost transaction only (an inner one shares the broken connection). A write whose connection broke
 * half-way is not run again: whether it committed is unknown.
 */
public final class DatabaseRetry implements MethodInterceptor {
    private static final Logger LOG = LoggerFactory.getLogger(DatabaseRetry.class);
    /** Attempts in all, the first included. */
    static final int ATTEMPTS = 3;
    private static final Duration PAUSE = Duration.ofMillis(200);

    private final DataSource dataSource;

    public DatabaseRetry(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    @Override
    public Object invoke(MethodInvocation invocation) throws Throwable {
        if (TransactionSynchronizationManager.isActualTransactionActive()
                || !(invocation instanceof ProxyMethodInvocation original)) {
            return invocation.proceed();
        }
        boolean readOnly = isReadOnly(invocation);
        for (int attempt = 1; ; attempt++) {
            try {
                // each attempt runs the rest of the chain (the transaction's interceptor included) afresh
                return original.invocableClone().proceed();
            } catch (RuntimeException e) {
                boolean safe = readOnly || e instanceof CannotCreateTransactionException;
                if (!safe || attempt >= ATTEMPTS || !isConnectionFailure(e)) {
                    throw e;
                }
                LOG.warn("event=db_connection_lost action=retry attempt={} method={} error=\"{}\"", attempt,
                        invocation.getMethod().getName(), rootMessage(e));
                evictIdleConnections();
                Thread.sleep(PAUSE.toMillis() * attempt);
            }
        }
    }

    private static boolean isReadOnly(MethodInvocation invocation) {
        Method method = invocation.getMethod();
        Class<?> type = invocation.getThis() == null ? method.getDeclaringClass()
                : AopUtils.getTargetClass(invocation.getThis());
        Method specific = AopUtils.getMostSpecificMethod(method, type);
        Transactional transactional = AnnotatedElementUtils.findMergedAnnotation(specific, Transactional.class);
        if (transactional == null) {
            transactional = AnnotatedElementUtils.findMergedAnnotation(type, Transactional.class);
        }
        return transactional != null && transactional.readOnly();
    }

    /**
     * Whether the failure is the connection's, not the statement's: SQL state class 08 (connection exception),
     * 57P01-57P03 (the server shut down or is starting), an I/O error on the socket, a connection the pool had
     * already closed as broken, or a rollback that failed (the connection under it is gone; Spring then throws
     * the rollback's failure instead of the statement's).
     */
    static boolean isConnectionFailure(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof SQLException sql) {
                String state = sql.getSQLState();
                if (state != null && (state.startsWith("08") || state.equals("57P01") || state.equals("57P02")
                        || state.equals("57P03"))) {
                    return true;
                }
                if ("Connection is closed".equals(sql.getMessage())) {
                    return true; // HikariCP's proxy of a connection it evicted as broken
                }
            }
            if (cause instanceof IOException || cause instanceof org.hibernate.exception.JDBCConnectionException
                    || cause instanceof org.hibernate.TransactionException) {
                return true;
            }
            if (cause.getCause() == cause) {
                break;
            }
        }
        return false;
    }

    private void evictIdleConnections() {
        if (dataSource instanceof HikariDataSource hikari && hikari.getHikariPoolMXBean() != null) {
            hikari.getHikariPoolMXBean().softEvictConnections();
        }
    }

    private static String rootMessage(Throwable failure) {
        Throwable root = failure;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return String.valueOf(root.getMessage());
    }
}
