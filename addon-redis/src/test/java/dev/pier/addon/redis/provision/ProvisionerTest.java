package dev.pier.addon.redis.provision;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pier.addon.redis.RedisContainer;
import dev.pier.testkit.Command;
import java.io.IOException;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Resources on a real server of the pier/redis image: each is an ACL user that reads and writes the keys under its
 * prefix only; one resource's credentials read none of another's keys nor the provider's records, and none of the
 * commands that reach past the prefix work; deprovisioning ends the user's connections and deletes its keys (in
 * every database) and nothing else; ACL users and data outlive a restart of the server.
 */
class ProvisionerTest {
    static RedisContainer redis;

    @BeforeAll
    static void start() {
        redis = new RedisContainer("provisioner-test-password");
    }

    @AfterAll
    static void stop() {
        if (redis != null) {
            redis.close();
        }
    }

    static Provisioner provisioner() {
        return redis.access().at(redis.address());
    }

    static RespConnection as(Grant grant) throws IOException {
        return RespConnection.open(redis.address(), grant.user(), grant.password());
    }

    static void assertNoPermission(RespConnection app, String... command) {
        assertThatThrownBy(() -> app.call(command)).as(String.join(" ", command)).isInstanceOf(RedisError.class)
                .hasMessageStartingWith("NOPERM");
    }

    @Test
    void oneResourcesCredentialsReadNoOtherResourcesKeys() throws Exception {
        Provisioner provisioner = provisioner();
        Grant a = provisioner.provision();
        Grant b = provisioner.provision();
        assertThat(a.id()).isNotEqualTo(b.id()).matches("[0-9a-f]{16}");
        try (RespConnection appB = as(b)) {
            assertThat(appB.call("SET", b.prefix() + "secret", "b's value")).isEqualTo("OK");
            assertThat(appB.call("HSET", b.prefix() + "h", "f", "v")).isEqualTo(1L);
        }
        try (RespConnection appA = as(a)) {
            assertThat(appA.call("SET", a.prefix() + "counter", "1")).isEqualTo("OK");
            assertThat(appA.call("INCR", a.prefix() + "counter")).isEqualTo(2L);
            assertThat(appA.call("ACL", "WHOAMI")).isEqualTo(a.user());

            assertNoPermission(appA, "GET", b.prefix() + "secret");
            assertNoPermission(appA, "HGETALL", b.prefix() + "h");
            assertNoPermission(appA, "SET", b.prefix() + "secret", "overwritten");
            assertNoPermission(appA, "DEL", b.prefix() + "secret");
            assertNoPermission(appA, "RENAME", b.prefix() + "secret", a.prefix() + "stolen");
            assertNoPermission(appA, "GET", "no-prefix");
            assertNoPermission(appA, "HGETALL", Provisioner.RECORDS);
            assertNoPermission(appA, "EVAL", "return redis.call('GET', KEYS[1])", "1", b.prefix() + "secret");
            // a key the script does not declare is checked inside the script, with another error
            assertThatThrownBy(() -> appA.call("EVAL", "return redis.call('GET', ARGV[1])", "0", b.prefix() + "secret"))
                    .isInstanceOf(RedisError.class)
                    .hasMessageStartingWith("ERR The user executing the script can't access at least one of the keys");
            assertNoPermission(appA, "SUBSCRIBE", b.prefix() + "events");
            for (List<String> command : List.of(List.of("KEYS", "*"), List.of("SCAN", "0"), List.of("RANDOMKEY"),
                    List.of("DBSIZE"), List.of("FLUSHALL"), List.of("FLUSHDB"), List.of("CONFIG", "GET", "*"),
                    List.of("ACL", "LIST"), List.of("ACL", "SETUSER", a.user(), "~*"), List.of("CLIENT", "LIST"),
                    List.of("PUBSUB", "CHANNELS"), List.of("MONITOR"), List.of("SWAPDB", "0", "1"),
                    List.of("FUNCTION", "FLUSH"))) {
                assertNoPermission(appA, command.toArray(String[]::new));
            }
        }
        assertThatThrownBy(() -> RespConnection.open(redis.address(), a.user(), b.password()).close())
                .isInstanceOf(RedisError.class).hasMessageStartingWith("WRONGPASS");
        try (RespConnection appB = as(b)) {
            assertThat(appB.call("GET", b.prefix() + "secret")).isEqualTo("b's value");
        }
        assertThat(provisioner.find(a.id())).contains(a);
        assertThat(provisioner.find("0123456789abcdef")).isEmpty();
        assertThat(provisioner.find("../etc")).isEmpty();
    }

    @Test
    void deprovisioningEndsTheUsersConnectionsAndDeletesItsKeysOnly() throws Exception {
        Provisioner provisioner = provisioner();
        Grant gone = provisioner.provision();
        Grant kept = provisioner.provision();
        try (RespConnection appKept = as(kept)) {
            appKept.call("SET", kept.prefix() + "k", "stays");
        }
        RespConnection open = as(gone);
        open.call("SET", gone.prefix() + "a", "1");
        open.call("SELECT", "3");
        open.call("SET", gone.prefix() + "in-db-3", "1");

        assertThat(provisioner.deprovision(gone.id())).isTrue();

        assertThatThrownBy(() -> open.call("GET", gone.prefix() + "a")).isInstanceOf(IOException.class);
        open.close();
        assertThatThrownBy(() -> as(gone).close()).isInstanceOf(RedisError.class).hasMessageStartingWith("WRONGPASS");
        try (RespConnection admin = redis.access().open(redis.address())) {
            assertThat(admin.call("EXISTS", gone.prefix() + "a")).isEqualTo(0L);
            admin.call("SELECT", "3");
            assertThat(admin.call("EXISTS", gone.prefix() + "in-db-3")).isEqualTo(0L);
        }
        try (RespConnection appKept = as(kept)) {
            assertThat(appKept.call("GET", kept.prefix() + "k")).isEqualTo("stays");
        }
        assertThat(provisioner.find(gone.id())).isEmpty();
        assertThat(provisioner.deprovision(gone.id())).isFalse();
        assertThat(provisioner.deprovision("not-an-id")).isFalse();
    }

    @Test
    void usersAndDataOutliveARestartAndThePasswordIsChecked() throws Exception {
        Grant grant = provisioner().provision();
        try (RespConnection app = as(grant)) {
            app.call("RPUSH", grant.prefix() + "list", "one", "two");
        }
        try (RespConnection admin = redis.access().open(redis.address())) {
            assertThat(admin.call("CONFIG", "GET", "appendonly")).isEqualTo(List.of("appendonly", "yes"));
        }
        assertThatThrownBy(() -> RespConnection.open(redis.address(), null, null).call("GET", "x"))
                .isInstanceOf(RedisError.class).hasMessageStartingWith("NOAUTH");

        redis.restart();

        try (RespConnection app = as(grant)) {
            assertThat(app.call("LRANGE", grant.prefix() + "list", "0", "-1")).isEqualTo(List.of("one", "two"));
            assertNoPermission(app, "KEYS", "*");
        }
        assertThat(provisioner().find(grant.id())).contains(grant);
        assertThat(Command.check(RedisContainer.STEP, List.of("docker", "run", "--rm", redis.image, "redis-server",
                "--version"))).contains("v=7.");
    }
}
