package dev.pier.controller;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pier.api.App;
import dev.pier.api.NewApp;
import dev.pier.api.NewRoute;
import dev.pier.api.Release;
import dev.pier.api.http.PierApiException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class ConcurrencyTest extends ControllerTestSupport {

    /** Runs {@code task} on {@code n} threads released at once; returns each outcome's HTTP status. */
    private static List<Integer> race(int n, Callable<?> task) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(n);
        CountDownLatch go = new CountDownLatch(1);
        List<Future<Integer>> outcomes = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            outcomes.add(pool.submit(() -> {
                go.await();
                try {
                    task.call();
                    return 200;
                } catch (PierApiException e) {
                    return e.status();
                }
            }));
        }
        go.countDown();
        List<Integer> statuses = new ArrayList<>();
        for (Future<Integer> outcome : outcomes) {
            statuses.add(outcome.get(60, TimeUnit.SECONDS));
        }
        pool.shutdown();
        return statuses;
    }

    @Test
    void twoAppsWithTheSameNameRacingOneWinsTheOthersGet409() throws Exception {
        for (int round = 0; round < 5; round++) {
            String name = uniqueName("same");
            List<Integer> statuses = race(8, () -> client.createApp(NewApp.named(name)));
            assertThat(statuses).filteredOn(s -> s == 200).hasSize(1);
            assertThat(statuses).filteredOn(s -> s == 409).hasSize(7);
            assertThat(client.apps()).extracting(App::name).filteredOn(name::equals).hasSize(1);
            assertThat(client.routes(name)).hasSize(1);
        }
    }

    @Test
    void racingDomainsOneWins() throws Exception {
        App first = newApp("dom");
        App second = newApp("dom");
        String domain = uniqueName("race") + ".example.com";
        List<Integer> statuses = race(6, () -> client.addRoute(Math.random() < 0.5 ? first.name() : second.name(),
                NewRoute.http(domain)));
        assertThat(statuses).filteredOn(s -> s == 200).hasSize(1);
        assertThat(statuses).filteredOn(s -> s == 409).hasSize(5);
    }

    @Test
    void racingEnvChangesAndRollbacksLoseNothing() throws Exception {
        App app = newApp("serial");
        List<String> names = List.of("A", "B", "C", "D", "E", "F");
        List<Callable<Object>> changes = new ArrayList<>();
        ExecutorService pool = Executors.newFixedThreadPool(names.size());
        CountDownLatch go = new CountDownLatch(1);
        List<Future<Object>> results = new ArrayList<>();
        for (String name : names) {
            results.add(pool.submit(() -> {
                go.await();
                return client.changeEnv(app.name(), Map.of(name, "1"));
            }));
        }
        go.countDown();
        for (Future<Object> result : results) {
            result.get(60, TimeUnit.SECONDS);
        }
        pool.shutdown();
        assertThat(client.env(app.name())).containsOnlyKeys(names.toArray(String[]::new));
        assertThat(client.releases(app.name())).extracting(Release::version).containsExactly(6, 5, 4, 3, 2, 1);

        List<Integer> rollbacks = race(4, () -> client.rollback(app.name(), null));
        assertThat(rollbacks).as("rollbacks are serialised by the app's lock").containsOnly(200);
        List<Release> releases = client.releases(app.name());
        assertThat(releases).extracting(Release::version).containsExactly(10, 9, 8, 7, 6, 5, 4, 3, 2, 1);
        assertThat(releases.subList(0, 4)).allMatch(r -> r.description().startsWith("Rollback to v"));
    }
}
