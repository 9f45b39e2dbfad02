package dev.pier.slugbuilder;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * What the buildpacks' {@code .profile.d} scripts set before a process starts: JDBC_DATABASE_* as Heroku derives
 * them (Heroku's own test vectors), JVM and Node.js defaults sized by the job's memory limit.
 */
class RuntimeProfilesTest {
    private static final String JDBC = "buildpacks/java/profile/jdbc.sh";
    private static final String JVM = "buildpacks/java/profile/jvm.sh";
    private static final String NODE = "buildpacks/nodejs/profile/nodejs.sh";

    private static String sourced(String profile, String print, String... env) {
        Map<String, String> vars = new HashMap<>();
        vars.put("CI", "");
        for (int i = 0; i < env.length; i += 2) {
            vars.put(env[i], env[i + 1]);
        }
        // the test's own environment may set some of these: start from none of them
        String clear = "unset JDBC_DATABASE_URL JDBC_DATABASE_USERNAME JDBC_DATABASE_PASSWORD SPRING_DATASOURCE_URL "
                + "SPRING_DATASOURCE_USERNAME SPRING_DATASOURCE_PASSWORD JAVA_OPTS JAVA_TOOL_OPTIONS NODE_OPTIONS "
                + "WEB_CONCURRENCY WEB_MEMORY MALLOC_ARENA_MAX; ";
        StringBuilder script = new StringBuilder(clear);
        for (int i = 0; i < env.length; i += 2) {
            script.append("export ").append(env[i]).append("='").append(env[i + 1]).append("'; ");
        }
        script.append(". '").append(Bash.MODULE.resolve(profile)).append("'; ").append(print);
        return Bash.run(List.of(), script.toString(), "", null, vars).stdout();
    }

    @Test
    void jdbcUrlFromAPostgresDatabaseUrlCarriesUserPasswordAndSslmodeSortedByName() {
        String out = sourced(JDBC, "echo \"$JDBC_DATABASE_URL|$JDBC_DATABASE_USERNAME|$JDBC_DATABASE_PASSWORD\"",
                "DATABASE_URL", "postgres://foo:bar@ec2-0-0-0-0:5432/abc123");
        assertThat(out).isEqualTo("jdbc:postgresql://ec2-0-0-0-0:5432/abc123?password=bar&sslmode=require&user=foo"
                + "|foo|bar\n");
    }

    @Test
    void underCiThereIsNoSslmodeAndTheUrlsOwnParametersAreKept() {
        String out = sourced(JDBC, "echo \"$JDBC_DATABASE_URL\"",
                "CI", "true", "DATABASE_URL", "postgres://foo:bar@db:5432/abc123?application_name=web");
        assertThat(out).isEqualTo("jdbc:postgresql://db:5432/abc123?application_name=web&password=bar&user=foo\n");
    }

    @Test
    void mysqlUrlsBecomeJdbcMysql() {
        String out = sourced(JDBC, "echo \"$JDBC_DATABASE_URL\"",
                "DATABASE_URL", "mysql://foo:bar@ec2-0-0-0-0:5432/abc123?reconnect=true");
        assertThat(out).isEqualTo("jdbc:mysql://ec2-0-0-0-0:5432/abc123?password=bar&reconnect=true&user=foo\n");
    }

    @Test
    void springDatasourceFollowsUnlessTheAppSetsItOrTurnsItOff() {
        assertThat(sourced(JDBC, "echo \"$SPRING_DATASOURCE_URL|$SPRING_DATASOURCE_USERNAME\"",
                "DATABASE_URL", "postgres://u:p@h/d")).isEqualTo("jdbc:postgresql://h/d?password=p&sslmode=require&user=u|u\n");
        assertThat(sourced(JDBC, "echo \"[${SPRING_DATASOURCE_URL:-}]\"", "DATABASE_URL", "postgres://u:p@h/d",
                "DISABLE_SPRING_DATASOURCE_URL", "true")).isEqualTo("[]\n");
        assertThat(sourced(JDBC, "echo \"[${SPRING_DATASOURCE_URL:-}]\"", "DATABASE_URL", "postgres://u:p@h/d",
                "SPRING_DATASOURCE_USERNAME", "mine")).isEqualTo("[]\n");
    }

    @Test
    void nothingIsSetForAUrlWithoutAPasswordOrOfAnotherKind() {
        assertThat(sourced(JDBC, "echo \"[${JDBC_DATABASE_URL:-}]\"", "DATABASE_URL", "postgres://foo@h:5432/d"))
                .isEqualTo("[]\n");
        assertThat(sourced(JDBC, "echo \"[${JDBC_DATABASE_URL:-}]\"", "DATABASE_URL", "redis://u:p@h:6379"))
                .isEqualTo("[]\n");
        assertThat(sourced(JDBC, "echo \"[${JDBC_DATABASE_URL:-}]\"")).isEqualTo("[]\n");
    }

    @Test
    void jvmDefaultsFollowTheJobsMemoryLimitAndTheAppsOwnOptionsComeLast() {
        String small = sourced(JVM, "echo \"$JAVA_TOOL_OPTIONS\"", "MEMORY_AVAILABLE", "256");
        assertThat(small).contains("-XX:MaxRAM=268435456", "-Xmx102m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-Xss512k");
        assertThat(sourced(JVM, "echo \"$JAVA_OPTS\"", "MEMORY_AVAILABLE", "512"))
                .isEqualTo("-Dfile.encoding=UTF-8 -XX:MaxRAM=536870912 -Xmx300m -Xss512k -XX:CICompilerCount=2\n");
        assertThat(sourced(JVM, "echo \"$JAVA_OPTS\"", "MEMORY_AVAILABLE", "1024"))
                .isEqualTo("-Dfile.encoding=UTF-8 -XX:MaxRAM=1073741824 -Xmx671m -XX:CICompilerCount=2\n");
        assertThat(sourced(JVM, "echo \"$JAVA_OPTS\"", "MEMORY_AVAILABLE", "4096"))
                .isEqualTo("-Dfile.encoding=UTF-8 -XX:MaxRAM=4294967296 -XX:MaxRAMPercentage=80.0\n");
        assertThat(sourced(JVM, "echo \"$JAVA_OPTS\"", "MEMORY_AVAILABLE", "512", "JAVA_OPTS", "-Xmx400m"))
                .endsWith(" -Xmx400m\n");
        assertThat(sourced(JVM, "echo \"$JAVA_OPTS\"")).isEqualTo("-Dfile.encoding=UTF-8\n");
    }

    @Test
    void oneOffJobsGetNoJavaToolOptions() {
        assertThat(sourced(JVM, "echo \"[${JAVA_TOOL_OPTIONS:-}]\"", "MEMORY_AVAILABLE", "512",
                "PIER_PROCESS_TYPE", "run")).isEqualTo("[]\n");
        assertThat(sourced(JVM, "echo \"$MALLOC_ARENA_MAX\"")).isEqualTo("2\n");
    }

    @Test
    void nodeWebConcurrencyAndHeapFollowTheJobsMemoryLimit() {
        assertThat(sourced(NODE, "echo \"$WEB_CONCURRENCY|$NODE_OPTIONS|$NODE_ENV\"", "MEMORY_AVAILABLE", "256"))
                .isEqualTo("1|--max-old-space-size=192|production\n");
        assertThat(sourced(NODE, "echo \"$WEB_CONCURRENCY|$NODE_OPTIONS\"", "MEMORY_AVAILABLE", "2048"))
                .isEqualTo("4|--max-old-space-size=384\n");
        assertThat(sourced(NODE, "echo \"$WEB_CONCURRENCY|$NODE_OPTIONS\"", "MEMORY_AVAILABLE", "1024",
                "WEB_CONCURRENCY", "1", "NODE_OPTIONS", "--enable-source-maps"))
                .isEqualTo("1|--enable-source-maps --max-old-space-size=768\n");
        assertThat(sourced(NODE, "echo \"$NODE_OPTIONS\"", "MEMORY_AVAILABLE", "1024",
                "NODE_OPTIONS", "--max-old-space-size=900")).isEqualTo("--max-old-space-size=900\n");
        assertThat(sourced(NODE, "echo \"[${WEB_CONCURRENCY:-}]\"")).isEqualTo("[]\n");
    }

    @Test
    void aWebProcessSaysHowItIsSized() {
        assertThat(sourced(NODE, "true", "MEMORY_AVAILABLE", "256", "PIER_PROCESS_TYPE", "web"))
                .isEqualTo("Node.js: 256 MB available, WEB_CONCURRENCY=1, NODE_OPTIONS=--max-old-space-size=192\n");
        assertThat(sourced(NODE, "true", "MEMORY_AVAILABLE", "256", "PIER_PROCESS_TYPE", "worker")).isEmpty();
    }
}
