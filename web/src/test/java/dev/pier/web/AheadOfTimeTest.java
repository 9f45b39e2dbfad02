package dev.pier.web;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class AheadOfTimeTest {
    private static final String ENABLED = "spring.aot.enabled";
    private static final String PROCESSING = "spring.aot.processing";

    /** An application whose build generated its context (the initializer below stands for the generated one). */
    static class Generated {
    }

    static class Generated__ApplicationContextInitializer {
    }

    /** An application built without AOT processing. */
    static class Reflective {
    }

    @BeforeEach
    @AfterEach
    void clear() {
        System.clearProperty(ENABLED);
        System.clearProperty(PROCESSING);
    }

    @Test
    void usesTheGeneratedContextWhenTheBuildMadeOne() {
        AheadOfTime.preferGeneratedCode(Generated.class);
        assertThat(System.getProperty(ENABLED)).isEqualTo("true");
    }

    @Test
    void startsReflectivelyWithoutAGeneratedContext() {
        AheadOfTime.preferGeneratedCode(Reflective.class);
        assertThat(System.getProperty(ENABLED)).isNull();
    }

    @Test
    void anExplicitChoiceStands() {
        System.setProperty(ENABLED, "false");
        AheadOfTime.preferGeneratedCode(Generated.class);
        assertThat(System.getProperty(ENABLED)).isEqualTo("false");
    }

    @Test
    void theBuildsOwnProcessingRunIsLeftAlone() {
        System.setProperty(PROCESSING, "true");
        AheadOfTime.preferGeneratedCode(Generated.class);
        assertThat(System.getProperty(ENABLED)).isNull();
    }
}
