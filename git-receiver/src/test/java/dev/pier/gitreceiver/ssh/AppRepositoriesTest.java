package dev.pier.gitreceiver.ssh;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
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
    private static final UUID ID = UUID.fromString("6f0e4c52-1d0a-4c1e-9a57-1b2f3c4d5e6f");

    @TempDir
    Path root;

    @Test
    void aFirstPushMakesABareRepositoryWhoseHeadIsMain() throws Exception {
        try (Repository repository = new AppRepositories(root.resolve("repos")).open("web", ID)) {
            assertThat(repository.isBare()).isTrue();
            assertThat(repository.getFullBranch()).isEqualTo("refs/heads/main");
            assertThat(repository.getDirectory().toPath()).isEqualTo(root.resolve("repos/web-" + ID + ".git"));
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
                    try (Repository repository = repositories.open("race", ID)) {
                        assertThat(repository.getFullBranch()).isEqualTo("refs/heads/main");
                        return repository.getDirectory().toPath();
                    }
                };
                opened.add(threads.submit(push));
            }
            start.countDown();
            for (Future<Path> each : opened) {
                assertThat(each.get()).isEqualTo(root.resolve("race-" + ID + ".git"));
            }
        } finally {
            threads.shutdownNow();
        }
        try (Stream<Path> left = Files.list(root)) {
            assertThat(left).as("no staging directory is left behind").containsExactly(root.resolve("race-" + ID + ".git"));
        }
    }

    @Test
    void anExistingRepositoryIsOpenedAsItIs() throws Exception {
        AppRepositories repositories = new AppRepositories(root);
        try (Repository first = repositories.open("kept", ID)) {
            first.updateRef("HEAD").link("refs/heads/master");
        }
        try (Repository again = repositories.open("kept", ID)) {
            assertThat(again.getFullBranch()).isEqualTo("refs/heads/master");
        }
    }

    @Test
    void anAppMadeUnderADeletedAppsNameGetsARepositoryOfItsOwn() throws Exception {
        AppRepositories repositories = new AppRepositories(root);
        try (Repository deleted = repositories.open("shop", ID)) {
            deleted.updateRef("HEAD").link("refs/heads/master");
        }
        try (Repository reborn = repositories.open("shop", UUID.randomUUID())) {
            assertThat(reborn.getFullBranch()).as("a new, empty repository").isEqualTo("refs/heads/main");
            assertThat(reborn.getDirectory().toPath()).isNotEqualTo(root.resolve("shop-" + ID + ".git"));
        }
    }
}
