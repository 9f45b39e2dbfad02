package dev.pier.web;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.type.LogicalType;
import dev.pier.api.http.Json;
import dev.pier.api.metrics.Meters;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.micrometer.core.instrument.config.MeterFilter;
import dev.pier.web.metrics.MetricsRegistration;
import dev.pier.web.metrics.PierMetricsProperties;
import java.util.ArrayList;
import java.util.List;
import org.apache.catalina.core.StandardHost;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.autoconfigure.jackson.JacksonAutoConfiguration;
import org.springframework.boot.autoconfigure.web.servlet.error.ErrorMvcAutoConfiguration;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.web.embedded.tomcat.TomcatServletWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
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
 * the cluster key ({@code pier.cluster-key}, required), Pier's strict JSON, body limits, problem+json, and
 * {@code /metrics} (Actuator's Prometheus endpoint, see {@link dev.pier.web.metrics.MetricsDefaults}): behind the
 * cluster key unless {@code pier.metrics.public=true}, announced in discoverd when
 * {@code pier.metrics.discoverd-url} is set.
 */
@AutoConfiguration(before = {JacksonAutoConfiguration.class, ErrorMvcAutoConfiguration.class})
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
@EnableConfigurationProperties({PierWebProperties.class, PierMetricsProperties.class})
@Import({ProblemHandler.class, ProblemErrorController.class, DecimalNumbers.class})
public class PierWebConfiguration {

    /**
     * Servers read strictly: unknown fields, scalars of the wrong type ("3" for 3, 1 for "x") and trailing
     * tokens are errors that name the field, not guesses.
     */
    @Bean
    @Primary
    public ObjectMapper pierObjectMapper() {
        JsonMapper mapper = Json.configure(JsonMapper.builder())
                .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
                .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
                .enable(DeserializationFeature.FAIL_ON_NUMBERS_FOR_ENUMS)
                .disable(MapperFeature.ALLOW_COERCION_OF_SCALARS)
                .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
                .addMixIn(ProblemDetail.class, ProblemDetailJacksonMixin.class)
                .build();
        // A string field takes only a JSON string: not 5, true or 1.5 turned into text.
        mapper.coercionConfigFor(LogicalType.Textual)
                .setCoercion(CoercionInputShape.Integer, CoercionAction.Fail)
                .setCoercion(CoercionInputShape.Float, CoercionAction.Fail)
                .setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail);
        mapper.coercionConfigFor(LogicalType.Integer)
                .setCoercion(CoercionInputShape.Float, CoercionAction.Fail)
                .setCoercion(CoercionInputShape.String, CoercionAction.Fail);
        mapper.coercionConfigFor(LogicalType.Boolean)
                .setCoercion(CoercionInputShape.Integer, CoercionAction.Fail)
                .setCoercion(CoercionInputShape.String, CoercionAction.Fail);
        return mapper;
    }

    /**
     * Errors Tomcat raises before any servlet runs (a bad URL, an encoded slash) are problem+json too, and
     * encoded slashes reach the application, which rejects them with a message naming the field.
     */
    @Bean
    public WebServerFactoryCustomizer<TomcatServletWebServerFactory> pierTomcat() {
        return factory -> {
            factory.addConnectorCustomizers(connector -> connector.setEncodedSolidusHandling("passthrough"));
            factory.addContextCustomizers(context -> {
                if (context.getParent() instanceof StandardHost host) {
                    host.setErrorReportValveClass(ProblemErrorReportValve.class.getName());
                }
            });
        };
    }

    @Bean
    public FilterRegistrationBean<ClusterKeyFilter> clusterKeyFilter(Environment environment, PierWebProperties web,
                                                                     PierMetricsProperties metrics, ObjectMapper json) {
        String key = environment.getProperty("pier.cluster-key");
        if (key == null || key.isBlank()) {
            throw new IllegalStateException("pier.cluster-key (env PIER_CLUSTER_KEY) is not set: every Pier service "
                    + "needs the cluster key");
        }
        List<String> open = new ArrayList<>(web.openPaths());
        if (metrics.isPublic()) {
            open.add("/metrics");
        }
        FilterRegistrationBean<ClusterKeyFilter> registration =
                new FilterRegistrationBean<>(new ClusterKeyFilter(key.strip(), List.copyOf(open), json));
        registration.setOrder(Ordered.HIGHEST_PRECEDENCE + 10);
        return registration;
    }

    /** Names and help texts that pass {@code promtool check metrics} (see {@link Meters}). */
    @Bean
    public MeterFilter pierMeterConventions() {
        return Meters.CONVENTIONS;
    }

    /** {@code process_cpu_seconds_total}, Prometheus' name for the process' CPU time. */
    @Bean
    public MeterBinder pierProcessCpu() {
        return Meters::bindProcessCpu;
    }

    @Bean(destroyMethod = "close")
    public MetricsRegistration metricsRegistration(PierMetricsProperties metrics, Environment environment) {
        return new MetricsRegistration(metrics, environment.getProperty("spring.application.name", "pier-service"),
                environment.getProperty("pier.cluster-key", ""), environment.getProperty("server.address"));
    }

    @Bean
    public FilterRegistrationBean<BodyLimitFilter> bodyLimitFilter(PierWebProperties web, ObjectMapper json) {
        FilterRegistrationBean<BodyLimitFilter> registration = new FilterRegistrationBean<>(
                new BodyLimitFilter(web.maxBodyBytes(), web.unlimitedBodyPaths(), json));
        registration.setOrder(Ordered.HIGHEST_PRECEDENCE + 20);
        return registration;
    }
}
