package dev.pier.testkit;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Pier's services as real processes for multi-service tests: each built jar (or a class on the test's class
 * path) runs in its own lean JVM with its output in {@code <logs>/<name>.log}. {@link #close()} kills what this
 * started (by its own handles) and waits for it.
 */
public final class JavaServices implements AutoCloseable {
    private final Path logs;
    private final Path repository;
    private final Map<String, Process> processes = new LinkedHashMap<>();

    public JavaServices(String prefix) throws IOException {
        this.logs = Files.createTempDirectory(prefix);
        Path here = Path.of("").toAbsolutePath();
        this.repository = Files.isRegularFile(here.resolve("../pom.xml")) ? here.getParent() : here;
    }

    public Path logs() {
        return logs;
    }

    /** The repository's root (the module's parent when tests run from a module). */
    public Path repository() {
        return repository;
    }

    /** {@code <module>/target/<file>}, required to be built already (Maven builds modules in order). */
    public Path jar(String module, String file) {
        Path jar = repository.resolve(module).resolve("target").resolve(file);
        Requirements.require(Files.isRegularFile(jar), jar + " (built by mvn package before this module's tests)");
        return jar;
    }

    /** Starts {@code java <lean options> <args...>} as {@code name}. */
    public Process start(String name, List<String> args) throws IOException {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-Xmx192m", "-Xss512k"));
        command.addAll(args);
        Process process = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(logs.resolve(name + ".log").toFile()).start();
        processes.put(name, process);
        return process;
    }

    /** Starts the jar {@code <module>/target/<file>} with Spring {@code --key=value} arguments. */
    public Process startJar(String name, String module, String file, List<String> springArgs) throws IOException {
        List<String> args = new ArrayList<>(List.of("-jar", jar(module, file).toString()));
        args.addAll(springArgs);
        return start(name, args);
    }

    public Process process(String name) {
        return processes.get(name);
    }

    /** The last {@code lines} lines of a service's log, for failure messages. */
    public String tail(String name, int lines) {
        try {
            List<String> all = Files.readAllLines(logs.resolve(name + ".log"));
            return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    @Override
    public void close() throws InterruptedException {
        processes.values().forEach(Process::destroyForcibly);
        for (Process process : processes.values()) {
            process.waitFor();
        }
        if (!Requirements.underCi()) {
            Command.run(java.time.Duration.ofSeconds(30), List.of("rm", "-rf", logs.toString()));
        }
    }
}
