package dev.pier.cli.command;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pier.cli.UserError;
import dev.pier.testkit.Command;
import java.util.List;
import org.junit.jupiter.api.Test;

/** How {@code pier redis cli --command} splits a command into redis-cli's words, and the job's command line. */
class RedisCommandTest {
    @Test
    void wordsAreSplitAsRedisCliSplitsWhatIsTyped() {
        assertThat(RedisCommand.words("SET key value")).containsExactly("SET", "key", "value");
        assertThat(RedisCommand.words("  SET   key\tvalue  ")).containsExactly("SET", "key", "value");
        assertThat(RedisCommand.words("SET k \"hello world\"")).containsExactly("SET", "k", "hello world");
        assertThat(RedisCommand.words("SET k 'it \"is\"'")).containsExactly("SET", "k", "it \"is\"");
        assertThat(RedisCommand.words("SET k \"a\\\"b\\nc\"")).containsExactly("SET", "k", "a\"b\nc");
        assertThat(RedisCommand.words("SET k \"\"")).containsExactly("SET", "k", "");
        assertThat(RedisCommand.words("SET pre\"fix x\"post v")).containsExactly("SET", "prefix xpost", "v");
    }

    @Test
    void anUnclosedQuoteOrNoCommandIsAUserError() {
        assertThatThrownBy(() -> RedisCommand.words("SET k \"open")).isInstanceOf(UserError.class)
                .hasMessage("the command has an unclosed double quote: SET k \"open");
        assertThatThrownBy(() -> RedisCommand.words("   ")).isInstanceOf(UserError.class)
                .hasMessage("--command is empty: give a Redis command, e.g. --command 'GET key'");
    }

    @Test
    void theJobRunsRedisCliOnTheAppsUrlWithTheWordsAfterItsOwnArguments() {
        assertThat(RedisCommand.redisCli(List.of("GET", "k"), List.of("--raw"))).containsExactly("/bin/sh", "-c",
                RedisCommand.DEFAULT_USER + "exec redis-cli -u \"$REDIS_URL\" --no-auth-warning -e \"$@\"", "redis-cli", "--raw", "GET", "k");
        assertThat(RedisCommand.redisCli(null, List.of())).containsExactly("/bin/sh", "-c",
                RedisCommand.DEFAULT_USER + "exec redis-cli -u \"$REDIS_URL\" --no-auth-warning \"$@\"", "redis-cli");
    }

    @Test
    void theJobGetsTheAppsRedisVarsOnlyAndTheServersPasswordBlanked() {
        assertThat(AddonJob.jobEnv(RedisCommand.ADDON, "shop", java.util.Map.of("REDIS_URL", "redis://:p@h:1",
                "REDIS_TLS_URL", "rediss://x", "DATABASE_URL", "postgres://x", "SECRET", "s")))
                .containsExactly(java.util.Map.entry("REDIS_URL", "redis://:p@h:1"),
                        java.util.Map.entry("REDIS_TLS_URL", "rediss://x"), java.util.Map.entry("REDIS_PASSWORD", ""));
    }

    @Test
    void theJobRunsInTheSystemAppOfTheAppsRedisResource() {
        java.time.Instant now = java.time.Instant.now();
        dev.pier.api.Resource pg = new dev.pier.api.Resource(java.util.UUID.randomUUID(), "postgres", "aaaa", java.util.Map.of(),
                List.of("shop"), now, null);
        dev.pier.api.Resource redis = new dev.pier.api.Resource(java.util.UUID.randomUUID(), "redis", "0123456789abcdef",
                java.util.Map.of(), List.of("shop"), now, null);
        assertThat(RedisCommand.systemApp(List.of(pg, redis), "shop")).isEqualTo("pier-redis-0123456789abcdef");
        assertThatThrownBy(() -> RedisCommand.systemApp(List.of(pg), "shop")).isInstanceOf(UserError.class)
                .hasMessage("app 'shop' has no redis resource attached: attach one first (pier -a shop resource add redis)");
    }

    @Test
    void aUrlWithoutAUserNamesTheDefaultUserForRedisCli() {
        String script = RedisCommand.DEFAULT_USER + "printf %s \"$REDIS_URL\"";
        assertThat(Command.check(java.time.Duration.ofSeconds(10), List.of("env", "REDIS_URL=redis://:pw@h:1",
                "/bin/sh", "-c", script))).isEqualTo("redis://default:pw@h:1");
        assertThat(Command.check(java.time.Duration.ofSeconds(10), List.of("env", "REDIS_URL=rediss://:pw@h:1",
                "/bin/sh", "-c", script))).isEqualTo("rediss://default:pw@h:1");
        assertThat(Command.check(java.time.Duration.ofSeconds(10), List.of("env", "REDIS_URL=redis://u:pw@h:1",
                "/bin/sh", "-c", script))).as("a user is kept").isEqualTo("redis://u:pw@h:1");
    }
}
