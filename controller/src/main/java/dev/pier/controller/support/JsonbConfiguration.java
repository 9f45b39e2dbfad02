package dev.pier.controller.support;

import dev.pier.api.http.Json;
import org.hibernate.cfg.AvailableSettings;
import org.springframework.boot.autoconfigure.orm.jpa.HibernatePropertiesCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** jsonb columns are written in Pier's wire dialect (snake_case), so the database reads like the API. */
@Configuration(proxyBeanMethods = false)
public class JsonbConfiguration {
    @Bean
    HibernatePropertiesCustomizer pierJsonFormat() {
        return properties -> properties.put(AvailableSettings.JSON_FORMAT_MAPPER,
                new JsonbFormatMapper(Json.mapper()));
    }
}
