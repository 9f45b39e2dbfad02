package dev.pier.web.openapi;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.pier.web.PierWebConfiguration;
import dev.pier.web.PierWebProperties;
import dev.pier.web.ProblemErrorController;
import io.swagger.v3.core.jackson.ModelResolver;
import org.springdoc.core.utils.SpringDocUtils;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.context.annotation.Bean;
import org.springframework.core.env.Environment;

/**
 * The OpenAPI document ({@code /openapi.json}) of a Pier service that has springdoc on its class path, made to
 * describe the wire: schemas read from the API's records through the same Jackson mapper that reads and writes
 * them (snake_case names, enums by their wire names, {@code @JsonProperty(required = true)} as required), every
 * operation's problem+json answers, the cluster key as the security scheme, and no {@code /error}.
 */
@AutoConfiguration(after = PierWebConfiguration.class)
@ConditionalOnClass(name = "org.springdoc.core.customizers.GlobalOpenApiCustomizer")
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
public class PierOpenApiConfiguration {

    /** Schemas from Pier's own mapper, not swagger's: the names and shapes the service really reads and writes. */
    @Bean
    public ModelResolver pierModelResolver(ObjectMapper json) {
        return new ModelResolver(json);
    }

    @Bean
    public OpenApiWire pierOpenApiWire(PierWebProperties web, Environment environment) {
        // the container's error page is no operation of the API
        SpringDocUtils.getConfig().addHiddenRestControllers(ProblemErrorController.class);
        return new OpenApiWire(environment.getProperty("spring.application.name", "pier"), web.openPaths());
    }
}
