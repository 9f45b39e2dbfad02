package dev.pier.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pier.testkit.Command;
import dev.pier.testkit.DockerEngine;
import dev.pier.testkit.EtcdServer;
import dev.pier.testkit.PostgresServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.jar.JarFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code bin/pier-dev up} runs every service from its jar laid out for a class-data archive (bin/lib/cds.sh): each
 * service jar must extract, and a jar without Spring in it (the router) too. The router's once could not (Spring
 * Boot's jar mode needs spring-core): it then started without an archive, and a killed router took 14 s to answer
 * again on a busy machine. The suite's cluster runs with {@code PIER_CDS=0} (a training run per service costs
 * minutes), so this is where the layout is checked; the router's training run, a few seconds, is done too.
 */
class ClassDataArchiveTest {
    private static final Path ROOT = PierCluster.repositoryRoot();

    /** {@code line} run by bash after sourcing bin/lib/cds.sh, with {@code $1} and {@code $2} set. */
    private static Command.Result cds(Duration timeout, String line, Path first, Path second) {
        return Command.run(timeout, List.of("bash", "-c", "source bin/lib/jvm.sh && source bin/lib/cds.sh && " + line,
                "cds", first.toString(), second.toString()), ROOT, Map.of());
    }

    /** cds_extract of bin/lib/cds.sh on {@code jar} into {@code dest}: its output, and its exit status checked. */
    private static void extract(Path jar, Path dest) {
        Command.Result extracted = cds(Duration.ofMinutes(2),
                "cds_extract \"$1\" \"$2\" \"$2.log\" || { cat \"$2.log\"; exit 1; }", jar, dest);
        assertThat(extracted.exitCode()).as("cds_extract %s: %s", jar, extracted.output()).isZero();
    }

    @ParameterizedTest
    @ValueSource(strings = {"discoverd/target/pier-discoverd-exec.jar", "blobstore/target/pier-blobstore-exec.jar",
        "controller/target/pier-controller-exec.jar", "host-agent/target/pier-host-agent-exec.jar",
        "machine/target/pier-machine.jar", "platform/target/pier-platform.jar",
        "scheduler/target/pier-scheduler-exec.jar", "router/target/pier-router-exec.jar",
        "git-receiver/target/pier-git-receiver-exec.jar", "addon-postgres/target/pier-addon-postgres-exec.jar",
        "addon-redis/target/pier-addon-redis-exec.jar"})
    void everyServiceJarIsLaidOutForAnArchive(String jar, @TempDir Path work) throws Exception {
        Path dest = work.resolve("app");
        extract(ROOT.resolve(jar), dest);
        try (JarFile app = new JarFile(dest.resolve("app.jar").toFile())) {
            String main = app.getManifest().getMainAttributes().getValue("Main-Class");
            assertThat(main).as("the service's own main class, not Spring Boot's launcher").startsWith("dev.pier.");
            String classPath = app.getManifest().getMainAttributes().getValue("Class-Path");
            assertThat(classPath).contains("lib/pier-api-");
            for (String entry : classPath.split(" ")) {
                assertThat(dest.resolve(entry)).as("on the class path").isRegularFile();
            }
            assertThat(app.getEntry(main.replace('.', '/') + ".class")).as(main).isNotNull();
        }
    }

    /**
     * {@code up} prunes the archives no service started with: the ones running services use stay, whatever their
     * order among the services' keys. Run 20 times under pipefail, as bin/pier-dev runs it: the earlier
     * {@code cat *.cds | grep -q} lost about a third of the first keys (grep's early exit failed the pipeline), and
     * removed the jar a running service loaded its classes from.
     */
    @Test
    void pruningKeepsEveryArchiveARunningServiceUsesAndRemovesTheOthers(@TempDir Path work) throws Exception {
        Path archives = Files.createDirectories(work.resolve("cds"));
        Path pids = Files.createDirectories(work.resolve("pids"));
        for (int i = 1; i <= 15; i++) {
            Files.createDirectories(archives.resolve("key" + i).resolve("app"));
            Files.writeString(archives.resolve("key" + i + ".lock"), "");
            Files.writeString(pids.resolve("service" + i + ".cds"), "key" + i + "\n");
        }
        Files.createDirectories(archives.resolve("old-build").resolve("app"));
        Files.writeString(archives.resolve("old-build.lock"), "");
        Command.Result pruned = cds(Duration.ofMinutes(1), "set -euo pipefail; for i in $(seq 1 20); do "
                + "cds_prune \"$1\" \"$2\"; done", archives, pids);
        assertThat(pruned.exitCode()).as(pruned.output()).isZero();
        for (int i = 1; i <= 15; i++) {
            assertThat(archives.resolve("key" + i).resolve("app")).as("in use by service" + i).isDirectory();
        }
        assertThat(archives.resolve("old-build")).as("no service uses it").doesNotExist();
        assertThat(archives.resolve("old-build.lock")).doesNotExist();
    }

    @Test
    void theRoutersTrainingRunRecordsAnArchive(@TempDir Path work) {
        Path dest = work.resolve("app");
        extract(ROOT.resolve("router/target/pier-router-exec.jar"), dest);
        Path archive = work.resolve("app.jsa");
        Command.Result trained = cds(Duration.ofMinutes(3), "cds_train \"$1\" \"$2\" \"$2.log\" "
                + "PIER_CLUSTER_KEY=training PIER_ROUTER_PORT=0 PIER_ROUTER_ADMIN_PORT=0 PIER_ROUTER_TLS_PORT=0 "
                + "|| { tail -20 \"$2.log\"; exit 1; }", dest.resolve("app.jar"), archive);
        assertThat(trained.exitCode()).as(trained.output()).isZero();
        assertThat(archive).isRegularFile();
        assertThat(archive.toFile().length()).as("classes recorded").isGreaterThan(1_000_000);
        assertThat(Files.exists(work.resolve("app.jsa.tmp"))).isFalse();
    }

    /**
     * A machine's JVM runs discoverd and the host agent (pier-machine): its archive must hold both applications'
     * classes. Spring's {@code spring.context.exit=onRefresh}, which every other training run uses, halts the JVM
     * after the first context's refresh: the archive would hold discoverd's classes and none of the host agent's.
     */
    @Test
    void theMachinesTrainingRunRecordsBothApplicationsClasses(@TempDir Path work) {
        DockerEngine.require();
        Path dest = work.resolve("app");
        extract(ROOT.resolve("machine/target/pier-machine.jar"), dest);
        Path archive = work.resolve("app.jsa");
        try (EtcdServer etcd = EtcdServer.start()) {
            Command.Result trained = cds(Duration.ofMinutes(3), "cds_train \"$1\" \"$2\" \"$2.log\" "
                    + "PIER_CLUSTER_KEY=training PIER_DISCOVERD_ETCD_ENDPOINTS=" + etcd.endpoint() + " "
                    + "PIER_METRICS_DISCOVERD_URL= PIER_HOST_AGENT_HOST_ID=pier-cds-training "
                    + "PIER_HOST_AGENT_DISCOVERD_URL= PIER_HOST_AGENT_DOCKER_HOST=" + DockerEngine.host() + " "
                    + "PIER_HOST_AGENT_SANDBOXES_SIZE=0 PIER_HOST_AGENT_SANDBOXES_WEB_SIZE=0 "
                    + "|| { tail -20 \"$2.log\"; exit 1; }", dest.resolve("app.jar"), archive);
            assertThat(trained.exitCode()).as(trained.output()).isZero();
        }
        assertThat(archive).isRegularFile();
        // with the services' options, as the archive was made: another GC or heap and the JVM would not map it
        Command.Result listed = cds(Duration.ofMinutes(1), "java $(pier_java_opts) -XX:SharedArchiveFile=\"$2\" "
                + "-XX:+PrintSharedArchiveAndExit -jar \"$1\"", dest.resolve("app.jar"), archive);
        assertThat(listed.output()).as("the classes in the archive")
                .contains(" dev.pier.discoverd.DiscoverdApplication ", " dev.pier.hostagent.HostAgentApplication ",
                        " dev.pier.hostagent.job.JobSupervisor ");
    }

    /**
     * Machine 1's Layer 1 runs in one JVM (pier-platform): its archive must hold every service's classes, the router's
     * too. Like the machine's, its training run cannot use Spring's {@code onRefresh} exit (the first context's refresh
     * would end it); each context is refreshed, then abandoned before it starts. The controller's refresh needs its
     * database (Flyway), as on machine 1; nothing else it names is reached.
     */
    @Test
    void thePlatformsTrainingRunRecordsEveryServicesClasses(@TempDir Path work) {
        Path dest = work.resolve("app");
        extract(ROOT.resolve("platform/target/pier-platform.jar"), dest);
        Path archive = work.resolve("app.jsa");
        String nowhere = "http://127.0.0.1:9";
        Command.Result trained = cds(Duration.ofMinutes(4), "CDS_SERVICE=platform cds_train \"$1\" \"$2\" \"$2.log\" "
                + "PIER_CLUSTER_KEY=training SPRING_DATASOURCE_URL=" + PostgresServer.shared().newDatabase()
                + " SPRING_DATASOURCE_USERNAME=" + PostgresServer.USER + " PIER_METRICS_DISCOVERD_URL="
                + " PIER_BLOBSTORE_DATA_DIR=" + work.resolve("blobs") + " PIER_CONTROLLER_DISCOVERD_URL=" + nowhere
                + " PIER_SCHEDULER_CONTROLLER_URL=" + nowhere + " PIER_SCHEDULER_DISCOVERD_URL=" + nowhere
                + " PIER_ROUTER_ADDRESS=127.0.0.1 PIER_ROUTER_PORT=0 PIER_ROUTER_ADMIN_PORT=0 PIER_ROUTER_TLS_PORT=0"
                + " PIER_ROUTER_CONTROLLER_URL=" + nowhere + " PIER_ROUTER_DISCOVERD_URL=" + nowhere
                + " PIER_GIT_RECEIVER_ADDRESS=127.0.0.1 PIER_GIT_RECEIVER_METRICS_PORT=0"
                + " PIER_GITRECEIVER_STATEDIR=" + work.resolve("git") + " PIER_GITRECEIVER_CONTROLLERURL=" + nowhere
                + " PIER_ADDONPOSTGRES_CONTROLLERURL=" + nowhere + " PIER_ADDONPOSTGRES_DISCOVERDURL=" + nowhere
                + " PIER_ADDONPOSTGRES_IMAGE=pier/postgres:none"
                + " PIER_ADDONPOSTGRES_SUPERUSERPASSWORDFILE=" + work.resolve("superuser-password")
                + " PIER_ADDONREDIS_CONTROLLERURL=" + nowhere + " PIER_ADDONREDIS_DISCOVERDURL=" + nowhere
                + " PIER_ADDONREDIS_IMAGE=pier/redis:none"
                + " || { tail -20 \"$2.log\"; exit 1; }", dest.resolve("app.jar"), archive);
        assertThat(trained.exitCode()).as(trained.output()).isZero();
        assertThat(archive).isRegularFile();
        // with the platform's own options, as bin/pier-dev makes and uses its archive
        Command.Result listed = cds(Duration.ofMinutes(1), "java $(pier_java_opts platform) -XX:SharedArchiveFile=\"$2\" "
                + "-XX:+PrintSharedArchiveAndExit -jar \"$1\"", dest.resolve("app.jar"), archive);
        assertThat(listed.output()).as("the classes in the archive")
                .contains(" dev.pier.blobstore.BlobstoreApplication ", " dev.pier.controller.ControllerApplication ",
                        " dev.pier.scheduler.SchedulerApplication ", " dev.pier.router.Router ",
                        " dev.pier.gitreceiver.GitReceiverApplication ",
                        " dev.pier.addon.postgres.AddonPostgresApplication ",
                        " dev.pier.addon.redis.AddonRedisApplication ");
    }
}
