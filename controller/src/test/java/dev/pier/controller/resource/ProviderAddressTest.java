package dev.pier.controller.resource;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pier.api.provider.ProvidedResource;
import java.net.URI;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Provider URLs and names, and what the controller accepts of a provider's answer: pure rules. */
class ProviderAddressTest {
    @Test
    void fixedUrlsAreHttpWithAHostAndNothingThatWouldLeakOrConfuse() {
        assertThat(ProviderAddress.parse("http://127.0.0.1:8400").address().fixed())
                .isEqualTo(URI.create("http://127.0.0.1:8400"));
        assertThat(ProviderAddress.parse("https://pg.example.org/api").address().fixed().getPath()).isEqualTo("/api");
        assertThat(ProviderAddress.parse("ftp://x").problem()).contains("neither http(s)://HOST[:PORT]");
        assertThat(ProviderAddress.parse("http://user:pw@host:1").problem()).contains("no user, query or fragment");
        assertThat(ProviderAddress.parse("http://host:1/?a=b").problem()).contains("no user, query or fragment");
        assertThat(ProviderAddress.parse("http:///nohost").problem()).contains("neither");
        assertThat(ProviderAddress.parse("not a url").problem()).contains("is not a URL");
        assertThat(ProviderAddress.parse("").problem()).startsWith("url is required");
        assertThat(ProviderAddress.parse(null).problem()).startsWith("url is required");
        assertThat(ProviderAddress.parse("http://h/" + "a".repeat(3000)).problem()).contains("longer than 2048");
    }

    @Test
    void discoverdUrlsNameAService() {
        ProviderAddress address = ProviderAddress.parse("discoverd+http://pier-postgres-api").address();
        assertThat(address.service()).isEqualTo("pier-postgres-api");
        assertThat(address.fixed()).isNull();
        assertThat(ProviderAddress.parse("discoverd+http://pier-redis-api/").address().service())
                .isEqualTo("pier-redis-api");
        assertThat(ProviderAddress.parse("discoverd+http://").problem()).contains("service name '' is invalid");
        assertThat(ProviderAddress.parse("discoverd+http://a/b").problem()).contains("service name 'a/b' is invalid");
    }

    @Test
    void providerNamesAreAppLikeNames() {
        assertThat(ProviderAddress.problemWithName("postgres")).isEmpty();
        assertThat(ProviderAddress.problemWithName("redis-6")).isEmpty();
        assertThat(ProviderAddress.problemWithName("Postgres")).get().asString().contains("is invalid");
        assertThat(ProviderAddress.problemWithName("-pg")).isPresent();
        assertThat(ProviderAddress.problemWithName("")).get().isEqualTo("provider name is required");
    }

    @Test
    void aProvidersAnswerNeedsAnIdAndSaneConfigVars() {
        assertThat(ResourceService.problemWith(new ProvidedResource("r1", Map.of("DATABASE_URL", "postgres://x"))))
                .isEmpty();
        assertThat(ResourceService.problemWith(null)).contains("no body");
        assertThat(ResourceService.problemWith(new ProvidedResource(" ", Map.of("A", "1")))).get().asString()
                .contains("id is missing");
        assertThat(ResourceService.problemWith(new ProvidedResource("r1", Map.of()))).get().asString()
                .contains("sets 0 config vars");
        assertThat(ResourceService.problemWith(new ProvidedResource("r1", Map.of("1BAD", "x")))).get().asString()
                .contains("config var name '1BAD' is invalid");
        assertThat(ResourceService.problemWith(new ProvidedResource("r1", Map.of("A", "x\0y")))).get().asString()
                .contains("NUL");
        java.util.HashMap<String, String> nullValue = new java.util.HashMap<>();
        nullValue.put("A", null);
        assertThat(ResourceService.problemWith(new ProvidedResource("r1", nullValue))).get().asString()
                .isEqualTo("config var A has no value");
    }
}
