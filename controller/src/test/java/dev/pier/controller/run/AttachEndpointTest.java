package dev.pier.controller.run;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import org.junit.jupiter.api.Test;

class AttachEndpointTest {

    @Test
    void readsTheAppAndJobFromThePath() {
        assertThat(AttachEndpoint.target(URI.create("ws://h:1/apps/shop/jobs/shop-run-0a1b2c3d4e/attach")))
                .contains(new AttachEndpoint.Target("shop", "shop-run-0a1b2c3d4e"));
        assertThat(AttachEndpoint.target(URI.create("ws://h:1/apps/shop/jobs/a%20b/attach")))
                .contains(new AttachEndpoint.Target("shop", "a b"));
        assertThat(AttachEndpoint.target(URI.create("ws://h:1/apps/shop/jobs//attach"))).isEmpty();
        assertThat(AttachEndpoint.target(URI.create("ws://h:1/apps/shop/jobs/x/attach/more"))).isEmpty();
        assertThat(AttachEndpoint.target(URI.create("ws://h:1/apps/shop/builds/x/attach"))).isEmpty();
        assertThat(AttachEndpoint.target(null)).isEmpty();
    }
}
