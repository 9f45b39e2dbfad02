package dev.pier.web;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.pier.api.http.Json;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.autoconfigure.jackson.JacksonAutoConfiguration;
import org.springframework.boot.autoconfigure.web.servlet.error.ErrorMvcAutoConfiguration;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.context.annotation.Primary;
import org.springframework.core.Ordered;
import org.springframework.core.env.Environment;
import org.springframework.http.ProblemDetail;
import org.springframework.http.converter.json.ProblemDetailJacksonMixin;

/**
 * What every Pier HTTP service shares, switched on by having this module on the class path:
 * the cluster key ({@code pier.cluster-key}, required), Pier's strict JSON, body limits and problem+json.
 */
@AutoConfiguration(before = {JacksonAutoConfiguration.class, ErrorMvcAutoConfiguration.class})
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
@EnableConfigurationProperties(PierWebProperties.class)
@Import({ProblemHandler.class, ProblemErrorController.class})
public class PierWebConfiguration {

    /**
     * Servers read strictly: unknown fields, scalars of the wrong type ("3" for 3, 1 for "x") and trailing
     * tokens are errors that name the field, not guesses.
     */
    @Bean
    @Primary
    public ObjectMapper pierObjectMapper() {
        return Json.configure(JsonMapper.builder())
                .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
                .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
                .enable(DeserializationFeature.FAIL_ON_NUMBERS_FOR_ENUMS)
                .disable(MapperFeature.ALLOW_COERCION_OF_SCALARS)
                .addMixIn(ProblemDetail.class, ProblemDetailJacksonMixin.class)
                .build();
    }

    @Bean
    public FilterRegistrationBean<ClusterKeyFilter> clusterKeyFilter(Environment environment, PierWebProperties web,
                                                                     ObjectMapper json) {
        String key = environment.getProperty("pier.cluster-key");
        if (key == null || key.isBlank()) {
            throw new IllegalStateException("pier.cluster-key (env PIER_CLUSTER_KEY) is not set: every Pier service "
                    + "needs the cluster key");
        }
        FilterRegistrationBean<ClusterKeyFilter> registration =
                new FilterRegistrationBean<>(new ClusterKeyFilter(key.strip(), web.openPaths(), json));
        registration.setOrder(Ordered.HIGHEST_PRECEDENCE + 10);
        return registration;
    }

    @Bean
    public FilterRegistrationBean<BodyLimitFilter> bodyLimitFilter(PierWebProperties web, ObjectMapper json) {
        FilterRegistrationBean<BodyLimitFilter> registration = new FilterRegistrationBean<>(
                new BodyLimitFilter(web.maxBodyBytes(), web.unlimitedBodyPaths(), json));
        registration.setOrder(Ordered.HIGHEST_PRECEDENCE + 20);
        return registration;
    }
}
