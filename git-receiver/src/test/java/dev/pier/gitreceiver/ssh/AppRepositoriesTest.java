package dev.pier.gitreceiver.ssh;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import org.eclipse.jgit.lib.Repository;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AppRepositoriesTest {
    @TempDir
    Path root;

    @Test
    void aFirstPushMakesABareRepositoryWhoseHeadIsMain() throws Exception {
        try (Repository repository = new AppRepositories(root.resolve("repos")).open("web")) {
            assertThat(repository.isBare()).isTrue();
            assertThat(repository.getFullBranch()).isEqualTo("refs/heads/main");
            assertThat(repository.getDirectory().toPath()).isEqualTo(root.resolve("repos/web.git"));
        }
    }

    @Test
    void manyFirstPushesAtOnceAllOpenTheOneRepository() throws Exception {
        AppRepositories repositories = new AppRepositories(root);
        int pushes = 8;
        CountDownLatch start = new CountDownLatch(1);
        ExecutorService threads = Executors.newFixedThreadPool(pushes);
        try {
            List<Future<Path>> opened = new ArrayList<>();
            for (int i = 0; i < pushes; i++) {
                Callable<Path> push = () -> {
                    start.await();
                    try (Repository repository = repositories.open("race")) {
                        assertThat(repository.getFullBranch()).isEqualTo("refs/heads/main");
                        return repository.getDirectory().toPath();
                    }
                };
                opened.add(threads.submit(push));
            }
            start.countDown();
            for (Future<Path> each : opened) {
                assertThat(each.get()).isEqualTo(root.resolve("race.git"));
            }
        } finally {
            threads.shutdownNow();
        }
        try (Stream<Path> left = Files.list(root)) {
            assertThat(left).as("no staging directory is left behind").containsExactly(root.resolve("race.git"));
        }
    }

    @Test
    void anExistingRepositoryIsOpenedAsItIs() throws Exception {
        AppRepositories repositories = new AppRepositories(root);
        try (Repository first = repositories.open("kept")) {
            first.updateRef("HEAD").link("refs/heads/master");
        }
        try (Repository again = repositories.open("kept")) {
            assertThat(again.getFullBranch()).isEqualTo("refs/heads/master");
        }
    }
}
