package dev.pier.api;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class NamesTest {

    @ParameterizedTest
    @ValueSource(strings = {"a", "shop", "my-app-2", "a--b", "abcdefghijklmnopqrstuvwxyz0123"})
    void goodAppNames(String name) {
        assertThat(Names.problemWithApp(name)).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "A", "1app", "-app", "my_app", "../etc", "app/x", "äpp", "abcdefghijklmnopqrstuvwxyz01234",
            "a b", "a\u0000", "app-", "a-"})
    void badAppNames(String name) {
        assertThat(Names.problemWithApp(name)).isPresent();
    }

    @Test
    void envNames() {
        assertThat(Names.problemWithEnvName("DATABASE_URL")).isEmpty();
        assertThat(Names.problemWithEnvName("_x1")).isEmpty();
        assertThat(Names.problemWithEnvName("1X")).hasValueSatisfying(p -> assertThat(p).contains("'1X'"));
        assertThat(Names.problemWithEnvName("A-B")).isPresent();
        assertThat(Names.problemWithEnvName("")).isPresent();
        assertThat(Names.problemWithEnvValue("A", "x".repeat(Names.MAX_ENV_VALUE + 1))).isPresent();
        assertThat(Names.problemWithEnvValue("A", "a\u0000b")).isPresent();
    }

    @Test
    void domains() {
        assertThat(Names.problemWithDomain("shop.example.com")).isEmpty();
        assertThat(Names.problemWithDomain("Shop.Example.COM")).isEmpty();
        assertThat(Names.problemWithDomain("*.example.com")).isEmpty();
        assertThat(Names.problemWithDomain("localhost")).isEmpty();
        for (String bad : new String[] {"", "a..b", "-a.com", "a-.com", ".a.com", "a.com.", "*.com", "a_b.com",
                "ünï.com", "a.com/x", "x".repeat(64) + ".com"}) {
            assertThat(Names.problemWithDomain(bad)).as(bad).isPresent();
        }
    }

    @Test
    void countsAndServicesAndPrintable() {
        assertThat(Names.problemWithCount("web", 0)).isEmpty();
        assertThat(Names.problemWithCount("web", 100)).isEmpty();
        assertThat(Names.problemWithCount("web", 101)).isPresent();
        assertThat(Names.problemWithCount("web", -1)).isPresent();
        assertThat(Names.problemWithCount("web", null)).isPresent();
        assertThat(Names.problemWithService("shop-web")).isEmpty();
        assertThat(Names.problemWithService("pier-host-leader")).isEmpty();
        assertThat(Names.problemWithService("Bad")).isPresent();
        assertThat(Names.printable("a\u0000b\n")).isEqualTo("a\\u0000b\\u000a");
        assertThat(Names.printable("x".repeat(100))).hasSize(65).endsWith("…");
    }
}
