package dev.pier.gitreceiver.cleanup;

import dev.pier.api.App;
import dev.pier.api.Event;
import dev.pier.api.EventTypes;
import dev.pier.api.blob.BlobstoreClient;
import dev.pier.api.blob.StoredBlob;
import dev.pier.api.controller.ControllerClient;
import dev.pier.api.controller.EventSubscription;
import dev.pier.api.http.PierApiException;
import dev.pier.gitreceiver.push.AppLocks;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Stream;
import org.eclipse.jgit.util.FileUtils;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;

/**
 * Removes what a deleted app leaves in the git receiver's care ({@link Leftovers}): its bare repository, its
 * build cache and, when no app of its name is live again, its source tarballs. It follows the controller's
 * {@code app_deletion} events, and once it is following them it sweeps everything once, for the deletions made
 * while it was not running, then again every {@link #SWEEP_EVERY}. Each app's leftovers go while holding that app's
 * push permit, so no push of an app of the same name runs meanwhile. Best effort: what cannot go now (blobstore
 * down, a push holding the app for longer than {@code lockWait}) is logged and goes at a later sweep.
 */
public final class DeletedApps implements SmartLifecycle {
    private static final Logger LOG = LoggerFactory.getLogger(DeletedApps.class);
    /** How often everything is swept again, for what a busy app or an unreachable blobstore left. */
    public static final Duration SWEEP_EVERY = Duration.ofHours(1);

    private final ControllerClient controller;
    private final BlobstoreClient blobs;
    private final AppLocks locks;
    private final Path repositories;
    private final Duration lockWait;
    private volatile boolean running;
    private volatile EventSubscription events;
    private Thread starter;

    public DeletedApps(ControllerClient controller, BlobstoreClient blobs, AppLocks locks, Path repositories,
                       Duration lockWait) {
        this.controller = controller;
        this.blobs = blobs;
        this.locks = locks;
        this.repositories = repositories;
        this.lockWait = lockWait;
    }

    @Override
    public void start() {
        running = true;
        starter = new Thread(this::followThenSweep, "pier-deleted-apps");
        starter.setDaemon(true);
        starter.start();
    }

    private void followThenSweep() {
        while (running && events == null) {
            try {
                events = controller.followEvents(null, Set.of(EventTypes.APP_DELETION), null, this::deleted);
            } catch (PierApiException e) {
                LOG.warn("event=cleanup_waiting_for_controller error=\"{}\" retry_in=2s", e.getMessage());
                if (!pause()) {
                    return;
                }
            }
        }
        while (running) {
            try {
                sweep();
            } catch (PierApiException | IOException e) {
                LOG.warn("event=cleanup_sweep_failed error=\"{}\" retry_in={}s", e.getMessage(), SWEEP_EVERY.toSeconds());
            }
            for (long waited = 0; waited < SWEEP_EVERY.toMillis() && running; waited += 2000) {
                if (!pause()) {
                    return;
                }
            }
        }
    }

    private static boolean pause() {
        try {
            Thread.sleep(2000);
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private void deleted(Event event) {
        UUID id;
        try {
            id = UUID.fromString(event.objectId());
        } catch (IllegalArgumentException | NullPointerException e) {
            return;
        }
        String app = event.app();
        withPermit(app, () -> {
            removeRepository(Leftovers.repository(app, id));
            removeBlob(Leftovers.cache(app, id));
            if (live().get(app) == null) {
                for (StoredBlob source : blobs.list("sources/" + app + "/")) {
                    removeBlob(source.path());
                }
            }
        });
    }

    /**
     * Removes every leftover of apps that are not live. What is there is listed before the live apps are asked
     * for, so anything listed belongs to an app that existed then: one not live now was deleted.
     */
    public void sweep() throws IOException {
        List<String> directories = new ArrayList<>();
        if (Files.isDirectory(repositories)) {
            try (Stream<Path> entries = Files.list(repositories)) {
                entries.filter(Files::isDirectory).forEach(p -> directories.add(p.getFileName().toString()));
            }
        }
        List<String> paths = new ArrayList<>();
        for (String prefix : List.of("caches/", "sources/")) {
            blobs.list(prefix).forEach(blob -> paths.add(blob.path()));
        }
        Map<String, UUID> live = live();
        List<String> repositoryLeftovers = Leftovers.repositories(directories, live);
        List<String> blobLeftovers = Leftovers.blobs(paths, live);
        for (String directory : repositoryLeftovers) {
            withPermit(Leftovers.appOf(directory), () -> removeRepository(directory));
        }
        for (String path : blobLeftovers) {
            withPermit(path.split("/")[1], () -> removeBlob(path));
        }
        LOG.info("event=cleanup_swept repositories={} blobs={}", repositoryLeftovers.size(), blobLeftovers.size());
    }

    private Map<String, UUID> live() {
        Map<String, UUID> live = new HashMap<>();
        for (App app : controller.apps()) {
            live.put(app.name(), app.id());
        }
        return live;
    }

    private interface Removal {
        void run() throws IOException;
    }

    private void withPermit(String app, Removal removal) {
        try (AutoCloseable permit = locks.acquire(app, lockWait, () -> { })) {
            if (permit == null) {
                LOG.warn("event=cleanup_deferred app={} reason=\"a push holds the app\"", app);
                return;
            }
            removal.run();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            LOG.warn("event=cleanup_failed app={} error=\"{}\"", app, e.getMessage());
        }
    }

    private void removeRepository(String name) throws IOException {
        Path directory = repositories.resolve(name);
        if (Files.isDirectory(directory)) {
            FileUtils.delete(directory.toFile(), FileUtils.RECURSIVE | FileUtils.SKIP_MISSING);
            LOG.info("event=cleanup_repository_removed repository={}", name);
        }
    }

    private void removeBlob(String path) {
        try {
            blobs.deleteBlob(path);
            LOG.info("event=cleanup_blob_removed path={}", path);
        } catch (PierApiException e) {
            if (e.status() != 404) {
                throw e;
            }
        }
    }

    @Override
    public void stop() {
        running = false;
        if (starter != null) {
            starter.interrupt();
        }
        if (events != null) {
            events.close();
        }
    }

    @Override
    public boolean isRunning() {
        return running;
    }
}
