package dev.pier.router.table;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class RoutingTableTest {
    private final AtomicLong now = new AtomicLong();
    private final RoutingTable table = new RoutingTable(1_000, now::get);
    private final Backend a = new Backend("a", "127.0.0.1", 1001);
    private final Backend b = new Backend("b", "127.0.0.1", 1002);

    RoutingTableTest() {
        table.replaceRoutes(Map.of("shop.pier.localhost", new RouteTarget("shop", "shop-web"),
                "www.Example.com", new RouteTarget("shop", "shop-web"),
                "blog.pier.localhost", new RouteTarget("blog", "blog-web")));
        table.replaceBackends("shop-web", List.of(a, b));
    }

    @Test
    void unknownHostIsNotRouted() {
        Destination d = table.resolve("nope.pier.localhost:8080");
        assertThat(d.routed()).isFalse();
        assertThat(d.host()).isEqualTo("nope.pier.localhost");
        assertThat(table.resolve(null).routed()).isFalse();
    }

    @Test
    void hostIsMatchedWithoutPortCaseOrTrailingDot() {
        assertThat(table.resolve("WWW.example.COM:80").app()).isEqualTo("shop");
        assertThat(table.resolve("shop.pier.localhost.").app()).isEqualTo("shop");
    }

    @Test
    void roundRobinAlternatesAndListsTheOtherAsFailover() {
        List<Backend> first = table.resolve("shop.pier.localhost").backends();
        List<Backend> second = table.resolve("shop.pier.localhost").backends();
        assertThat(first).containsExactly(a, b);
        assertThat(second).containsExactly(b, a);
    }

    @Test
    void routedAppWithoutInstancesHasNoBackends() {
        Destination d = table.resolve("blog.pier.localhost");
        assertThat(d.routed()).isTrue();
        assertThat(d.service()).isEqualTo("blog-web");
        assertThat(d.backends()).isEmpty();
    }

    @Test
    void ejectedBackendIsSkippedUntilItsTimeIsUp() {
        table.eject(a);
        for (int i = 0; i < 4; i++) {
            assertThat(table.resolve("shop.pier.localhost").backends()).containsExactly(b);
        }
        now.addAndGet(1_001);
        assertThat(table.resolve("shop.pier.localhost").backends()).hasSize(2);
    }

    @Test
    void whenAllAreEjectedAllAreStillTried() {
        table.eject(a);
        table.eject(b);
        assertThat(table.resolve("shop.pier.localhost").backends()).containsExactlyInAnyOrder(a, b);
        table.restore(a);
        assertThat(table.resolve("shop.pier.localhost").backends()).containsExactly(a);
    }

    @Test
    void routesAndBackendsAreReplacedWhole() {
        table.replaceRoutes(Map.of("blog.pier.localhost", new RouteTarget("blog", "blog-web")));
        assertThat(table.resolve("shop.pier.localhost").routed()).isFalse();
        assertThat(table.routedServices()).containsExactly("blog-web");
        table.replaceBackends("blog-web", List.of(b));
        assertThat(table.resolve("blog.pier.localhost").backends()).containsExactly(b);
    }

    @Test
    void roundRobinCoversEveryBackendInTurnWithTheRestAsFailover() {
        Backend c = new Backend("c", "127.0.0.1", 1003);
        table.replaceBackends("shop-web", List.of(a, b, c));
        List<List<Backend>> orders = new java.util.ArrayList<>();
        for (int i = 0; i < 6; i++) {
            orders.add(List.copyOf(table.resolve("shop.pier.localhost").backends()));
        }
        assertThat(orders.get(0)).containsExactly(a, b, c);
        assertThat(orders.get(1)).containsExactly(b, c, a);
        assertThat(orders.get(2)).containsExactly(c, a, b);
        assertThat(orders.get(3)).containsExactly(a, b, c);
        List<Backend> order = table.resolve("shop.pier.localhost").backends();
        assertThat(order).hasSize(3);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> order.get(3))
                .isInstanceOf(IndexOutOfBoundsException.class);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> order.add(a))
                .isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void anExpiredEjectionIsForgottenAndAFreshOneSkipsTheBackendAgain() {
        table.eject(a);
        now.addAndGet(1_001);
        assertThat(table.resolve("shop.pier.localhost").backends()).hasSize(2);
        table.eject(b);
        for (int i = 0; i < 3; i++) {
            assertThat(table.resolve("shop.pier.localhost").backends()).containsExactly(a);
        }
    }

    @Test
    void aWildcardRouteCoversOneLabelAndAnExactRouteWins() {
        table.replaceRoutes(Map.of("*.apps.example.com", new RouteTarget("shop", "shop-web"),
                "admin.apps.example.com", new RouteTarget("blog", "blog-web")));
        assertThat(table.resolve("x.apps.example.com").app()).isEqualTo("shop");
        assertThat(table.resolve("X.Apps.Example.com:443").app()).isEqualTo("shop");
        assertThat(table.resolve("admin.apps.example.com").app()).isEqualTo("blog");
        assertThat(table.resolve("a.b.apps.example.com").routed()).isFalse();
        assertThat(table.resolve("apps.example.com").routed()).isFalse();
        assertThat(RoutingTable.wildcardOf("a.example.com")).isEqualTo("*.example.com");
        assertThat(RoutingTable.wildcardOf("example.com")).isNull();
        assertThat(RoutingTable.wildcardOf("localhost")).isNull();
    }

    @Test
    void aFailoverPassesOverBackendsEjectedOrGoneSinceTheRequestsListWasTaken() {
        assertThat(table.passOver("shop-web", a)).isFalse();
        table.eject(a);
        assertThat(table.passOver("shop-web", a)).isTrue();
        now.addAndGet(1_001);
        assertThat(table.passOver("shop-web", a)).isFalse();
        table.replaceBackends("shop-web", List.of(a));
        assertThat(table.passOver("shop-web", b)).isTrue();
        assertThat(table.passOver("blog-web", a)).isTrue();
    }

    @Test
    void aHostThatDoesNotAnswerHasEveryBackendOnItEjectedUntilOneSucceeds() {
        Backend elsewhere = new Backend("c", "10.0.0.9", 1003);
        table.replaceBackends("shop-web", List.of(a, b, elsewhere));
        table.ejectHost(a); // a and b share 127.0.0.1
        for (int i = 0; i < 3; i++) {
            assertThat(table.resolve("shop.pier.localhost").backends()).containsExactly(elsewhere);
        }
        assertThat(table.passOver("shop-web", b)).isTrue();
        table.restore(b); // an exchange with one of them succeeded: the host answers after all
        assertThat(table.resolve("shop.pier.localhost").backends()).hasSize(3);
    }
}
