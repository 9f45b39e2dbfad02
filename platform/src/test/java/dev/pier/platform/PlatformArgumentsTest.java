package dev.pier.platform;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class PlatformArgumentsTest {

    @Test
    void aPrefixedArgumentGoesToItsServiceAndAnyOtherToAllInOrder() {
        PlatformArguments arguments = PlatformArguments.parse("--pier.cluster-key=k", "--controller.server.port=8300",
                "--git-receiver.pier.git-receiver.port=2222", "--router.pier.router.port=8080",
                "--addon-redis.server.port=8351", "--logging.level.root=WARN");
        assertThat(arguments.of(Service.CONTROLLER)).containsExactly("--pier.cluster-key=k", "--server.port=8300",
                "--logging.level.root=WARN");
        assertThat(arguments.of(Service.GIT_RECEIVER)).containsExactly("--pier.cluster-key=k",
                "--pier.git-receiver.port=2222", "--logging.level.root=WARN");
        assertThat(arguments.of(Service.ROUTER)).containsExactly("--pier.cluster-key=k", "--pier.router.port=8080",
                "--logging.level.root=WARN");
        assertThat(arguments.of(Service.ADDON_REDIS)).containsExactly("--pier.cluster-key=k", "--server.port=8351",
                "--logging.level.root=WARN");
        assertThat(arguments.of(Service.ADDON_POSTGRES)).containsExactly("--pier.cluster-key=k",
                "--logging.level.root=WARN");
    }

    @Test
    void onlyTheLeadingPrefixRoutes() {
        // the scheduler's pier.scheduler.controller-url is the scheduler's own, not the controller's
        PlatformArguments arguments = PlatformArguments.parse("--scheduler.pier.scheduler.controller-url=http://a:1");
        assertThat(arguments.of(Service.CONTROLLER)).isEmpty();
        assertThat(arguments.of(Service.SCHEDULER)).containsExactly("--pier.scheduler.controller-url=http://a:1");
    }

    @ParameterizedTest
    @ValueSource(strings = {"--controller.", "--blobstore.=8340", "--addon-postgres..server.port=1"})
    void aPrefixWithoutAPropertyIsRefusedByName(String arg) {
        assertThatThrownBy(() -> PlatformArguments.parse("--pier.cluster-key=k", arg))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("\"" + arg + "\" names no property")
                .hasMessageMatching(".*\\(for example --[a-z-]+\\.server\\.port=\\d+\\)");
    }
}
