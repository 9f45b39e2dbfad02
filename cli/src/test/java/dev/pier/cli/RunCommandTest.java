package dev.pier.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pier.api.Artifact;
import dev.pier.api.NewApp;
import dev.pier.api.NewArtifact;
import dev.pier.api.NewDeployment;
import dev.pier.api.NewRelease;
import dev.pier.api.Release;
import dev.pier.api.controller.ControllerClient;
import dev.pier.testkit.Command;
import dev.pier.testkit.DockerEngine;
import dev.pier.testkit.Requirements;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@code pier run} as users run it, against {@link ClusterCommandTest}'s cluster. In-process runs drive the real
 * command with piped input; one run goes through a real pseudo-terminal ({@code script} from util-linux) in a JVM of
 * its own.
 */
class RunCommandTest extends ClusterCommandTest {
    String app;

    @BeforeEach
    void appWithARelease() {
        ControllerClient controller = controller();
        app = controller.createApp(NewApp.named("run-" + UUID.randomUUID().toString().substring(0, 6))).name();
        Artifact image = controller.createArtifact(new NewArtifact("docker", DockerEngine.testImage(), null, null, Map.of()));
        Release release = controller.createRelease(app, new NewRelease(image.id(), Map.of("GREETING", "hello"), Map.of(),
                Map.of(), "test"));
        controller.deploy(app, new NewDeployment(release.id(), null));
    }

    Result run(String input, String... args) {
        String[] all = new String[args.length + 3];
        all[0] = "-a";
        all[1] = app;
        all[2] = "run";
        System.arraycopy(args, 0, all, 3, args.length);
        return pier(new PipedTerminal(input), all);
    }

    @Test
    void runsAttachedWithTheJobsOutputAndExitStatus() {
        Result hi = run("", "echo", "hi");
        assertThat(hi.code()).as(hi.err()).isZero();
        assertThat(hi.output()).isEqualTo("hi\n");

        Result shell = run("", "echo \"$GREETING $EXTRA\"; echo to stderr >&2; exit 3");
        assertThat(shell.code()).as(shell.err()).isEqualTo(3);
        assertThat(shell.output()).contains("hello \n", "to stderr\n");
        assertThat(shell.err()).isEmpty();

        Result options = run("", "-e", "EXTRA=x y", "sh", "-c", "echo \"$EXTRA\" \"$0\"; ls -d /", "zero");
        assertThat(options.code()).as(options.err()).isZero();
        assertThat(options.output()).as("options after the command are the command's").isEqualTo("x y zero\n/\n");

        Result piped = run("echo piped\nexit 4\n", "sh");
        assertThat(piped.code()).as(piped.err()).isEqualTo(4);
        assertThat(piped.output()).isEqualTo("piped\n");

        // The end of piped input reaches the job: programs that read to the end of their input finish.
        Result counted = run("one\ntwo\nthree\n", "wc", "-l");
        assertThat(counted.code()).as(counted.err()).isZero();
        assertThat(counted.output().strip()).isEqualTo("3");
        Result shellToEnd = run("echo from stdin\n", "sh");
        assertThat(shellToEnd.code()).as("a shell whose script ends without exit").isZero();
        assertThat(shellToEnd.output()).isEqualTo("from stdin\n");
    }

    @Test
    void inputThatKeepsComingAfterTheJobExitsIsDroppedAndTheExitStatusStands() {
        // A terminal's last keystrokes race the shell's exit: what arrives once the job stopped reading, or ended,
        // is dropped on the way (host agent, controller), and the job's own exit status is what pier returns.
        for (String command : List.of("exit 6", "exec 0<&-; sleep 1; exit 6")) {
            Result result = pier(new PipedTerminal(new TrickleInput(Duration.ofSeconds(60)), new ByteArrayOutputStream()),
                    "-a", app, "run", command);
            assertThat(result.code()).as(command + ": " + result.err()).isEqualTo(6);
            assertThat(result.err()).as(command).isEmpty();
        }
    }

    /** A line every 5 ms until {@code bound} has passed (a bound for a hung run, not a speed check), then the end. */
    static final class TrickleInput extends InputStream {
        private final long end;

        TrickleInput(Duration bound) {
            this.end = System.nanoTime() + bound.toNanos();
        }

        @Override
        public int read() {
            throw new UnsupportedOperationException("read(byte[], int, int) only");
        }

        @Override
        public int read(byte[] buffer, int offset, int length) {
            if (System.nanoTime() > end) {
                return -1;
            }
            LockSupport.parkNanos(5_000_000);
            byte[] line = "typed\n".getBytes(StandardCharsets.UTF_8);
            int count = Math.min(length, line.length);
            System.arraycopy(line, 0, buffer, offset, count);
            return count;
        }
    }

    @Test
    void runsDetachedAndItsLogShowsItsOutput() {
        Result detached = run("", "-d", "echo", "detached", "output");
        assertThat(detached.code()).as(detached.err()).isZero();
        String id = detached.out().strip();
        assertThat(id).startsWith(app + "-run-");
        assertThat(detached.err()).contains("pier -a " + app + " log -j " + id + " -f");

        Result log = pier(new PipedTerminal(""), "-a", app, "log", "-j", id, "-f");
        assertThat(log.code()).as(log.err()).isZero();
        assertThat(log.out()).contains(app + "[run." + id + "]: detached output");
        ControllerClient controller = new ControllerClient(URI.create("http://127.0.0.1:" + port), KEY);
        assertThat(controller.job(app, id).processType()).isEqualTo("run");
    }

    @Test
    void badInputIsOneClearLine() {
        Result none = run("");
        assertThat(none.code()).isEqualTo(2);
        assertThat(none.err()).contains("Missing required parameter: 'COMMAND'");

        assertThat(pier(new PipedTerminal(""), "-a", "nope-" + UUID.randomUUID().toString().substring(0, 4), "run",
                "true").err()).matches("pier: app 'nope-[0-9a-f]{4}' not found\n");
        assertThat(run("", "-e", "1X=2", "true").err()).startsWith("pier: ").contains("1X").hasLineCount(1);
        assertThat(run("", "-e", "novalue", "true").err()).isEqualTo("pier: 'novalue' is not NAME=VALUE\n");
        assertThat(run("", "").err()).isEqualTo("pier: command[0] (the program) is empty\n");
        assertThat(run("", "-r", "v9", "true").err()).isEqualTo("pier: '" + app + "' has no release v9\n");

        Result missing = run("", "no-such-program", "--now");
        assertThat(missing.code()).isEqualTo(1);
        assertThat(missing.err()).startsWith("pier: job " + app + "-run-").contains(" failed: cannot run the command: ",
                "no-such-program").hasLineCount(1);
        Result viaShell = run("", "no-such-program");
        assertThat(viaShell.code()).as("a shell that cannot find it").isEqualTo(127);
    }

    @Test
    void aTerminalGetsATtyOfItsOwnInRawModeAndItsSize() throws Exception {
        Requirements.require(Command.which("script") != null, "script (util-linux), for a pseudo-terminal");
        Path input = Files.writeString(home.resolve("typed"), "stty size\necho ping\nexit 5\n");
        Path output = home.resolve("terminal");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        String pier = String.join(" ", List.of(java, "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-cp",
                System.getProperty("java.class.path"), Pier.class.getName(), "-a", app, "run", "sh"));
        ProcessBuilder builder = new ProcessBuilder("script", "-qec", "stty cols 100 rows 30; exec " + pier, "/dev/null")
                .redirectInput(input.toFile()).redirectErrorStream(true).redirectOutput(output.toFile());
        builder.environment().put("PIER_CONFIG", store.file().toString());
        Process process = builder.start();
        boolean ended = process.waitFor(3, TimeUnit.MINUTES); // a bound for a hung run, not a speed check
        if (!ended) {
            process.destroyForcibly().waitFor();
        }
        String seen = Files.readString(output);
        assertThat(ended).as(seen).isTrue();
        assertThat(process.exitValue()).as(seen).isEqualTo(5);
        assertThat(seen).containsPattern("(?m)^ping\\r?$").as("the job's TTY has the terminal's size")
                .containsPattern("(?m)^30 100\\r?$");
    }
}
