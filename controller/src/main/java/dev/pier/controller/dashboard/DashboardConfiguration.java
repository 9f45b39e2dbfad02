package dev.pier.controller.dashboard;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Clock;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;

@Configuration(proxyBeanMethods = false)
class DashboardConfiguration {

    @Bean
    DashboardSessions dashboardSessions(DashboardProperties properties) {
        return new DashboardSessions(properties.sessionIdle(), Clock.systemUTC());
    }

    /** Before the cluster key filter (which runs at HIGHEST_PRECEDENCE + 10). */
    @Bean
    FilterRegistrationBean<DashboardSessionFilter> dashboardSessionFilter(DashboardSessions sessions,
            ObjectMapper json) {
        FilterRegistrationBean<DashboardSessionFilter> registration =
                new FilterRegistrationBean<>(new DashboardSessionFilter(sessions, json));
        registration.setOrder(Ordered.HIGHEST_PRECEDENCE + 5);
        return registration;
    }
}
