package dev.pier.addon.redis.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pier.addon.kit.ServerEndpoint;
import dev.pier.addon.kit.ServerNotReady;
import dev.pier.addon.kit.StaticServer;
import dev.pier.addon.redis.provision.RedisServerAccess;
import dev.pier.testkit.FreePorts;
import dev.pier.web.ApiProblem;
import org.junit.jupiter.api.Test;
import org.springframework.http.HttpStatus;

/** A server that is not up, or does not answer: every resource call is a 503 naming why, never a 500. */
class ServerDownTest {
    @Test
    void aServerThatDoesNotAnswerIsA503NamingIt() {
        int nobody = FreePorts.next();
        ResourceController api = new ResourceController(new StaticServer(new ServerEndpoint("127.0.0.1:" + nobody,
                "172.31.0.1:56379")), new RedisServerAccess("pw"));
        assertThatThrownBy(() -> api.provision((ResourceController.NewResource) null))
                .isInstanceOfSatisfying(ApiProblem.class, e -> {
                    assertThat(e.status()).isEqualTo(HttpStatus.SERVICE_UNAVAILABLE);
                    assertThat(e.getMessage()).startsWith("the Redis server of this provider at 127.0.0.1:" + nobody
                            + " cannot be used now: ").contains("refused");
                });
        assertThatThrownBy(() -> api.resource("0123456789abcdef")).isInstanceOfSatisfying(ApiProblem.class,
                e -> assertThat(e.status()).isEqualTo(HttpStatus.SERVICE_UNAVAILABLE));
        assertThatThrownBy(() -> api.deprovision("0123456789abcdef")).isInstanceOfSatisfying(ApiProblem.class,
                e -> assertThat(e.status()).isEqualTo(HttpStatus.SERVICE_UNAVAILABLE));
    }

    @Test
    void aServerNotUpYetIsA503SayingWhatTheProviderWaitsFor() {
        ResourceController api = new ResourceController(() -> {
            throw new ServerNotReady("job pier-redis/redis (h1-abc) to be up (it is starting)");
        }, new RedisServerAccess("pw"));
        assertThatThrownBy(() -> api.provision((ResourceController.NewResource) null))
                .isInstanceOfSatisfying(ApiProblem.class, e -> {
                    assertThat(e.status()).isEqualTo(HttpStatus.SERVICE_UNAVAILABLE);
                    assertThat(e.getMessage()).isEqualTo("the Redis server of this provider is not up yet: waiting for "
                            + "job pier-redis/redis (h1-abc) to be up (it is starting)");
                });
        assertThat(api.health()).containsEntry("status", "ok")
                .containsEntry("server", "waiting for job pier-redis/redis (h1-abc) to be up (it is starting)");
    }
}
