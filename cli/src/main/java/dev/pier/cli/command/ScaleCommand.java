package dev.pier.cli.command;

import dev.pier.api.App;
import dev.pier.api.Formation;
import dev.pier.api.Job;
import dev.pier.api.JobState;
import dev.pier.api.Names;
import dev.pier.api.http.PierApiException;
import dev.pier.api.router.AppRouting;
import dev.pier.api.router.Routing;
import dev.pier.cli.UserError;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "scale", description = "Show or change how many processes of each type run, e.g. 'pier scale web=3 worker=1'.")
public class ScaleCommand extends PierCommand {
    @Parameters(paramLabel = "TYPE=COUNT", arity = "0..*")
    List<String> changes = List.of();
    @Option(names = {"-n", "--no-wait"}, description = "do not wait for the processes to be up")
    boolean noWait;
    @Option(names = "--timeout", defaultValue = "120", paramLabel = "SECONDS",
            description = "how long to wait (default: ${DEFAULT-VALUE} s)")
    int timeoutSeconds;
    @Option(names = "--json", description = "print JSON (without changes: the formation)")
    boolean json;

    /** Parses {@code TYPE=COUNT} arguments, refusing bad ones with a message naming the argument. */
    static Map<String, Integer> parse(List<String> arguments) {
        Map<String, Integer> counts = new LinkedHashMap<>();
        for (String argument : arguments) {
            int eq = argument.indexOf('=');
            if (eq <= 0) {
                throw new UserError("invalid scale argument '" + argument + "': expected TYPE=COUNT, e.g. web=3");
            }
            String type = argument.substring(0, eq);
            String count = argument.substring(eq + 1);
            Names.problemWithProcessType(type).ifPresent(p -> {
                throw new UserError("invalid scale argument '" + argument + "': " + p);
            });
            if (!count.matches("^[0-9]{1,3}$") || Integer.parseInt(count) > 100) {
                throw new UserError("invalid scale argument '" + argument + "': the count must be a whole number from 0 to 100");
            }
            if (counts.put(type, Integer.parseInt(count)) != null) {
                throw new UserError("process type '" + type + "' is given twice");
            }
        }
        return counts;
    }

    @Override
    public Integer call() throws InterruptedException {
        Map<String, Integer> wanted = parse(changes);
        String name = app();
        App app = client().app(name);
        if (app.releaseId() == null) {
            throw new UserError("'" + name + "' has no release yet: push code first");
        }
        Map<String, Integer> current = new TreeMap<>();
        try {
            current.putAll(client().formation(name, app.releaseId()).processes());
        } catch (PierApiException e) {
            if (!e.isNotFound()) {
                throw e;
            }
        }
        if (wanted.isEmpty()) {
            if (json) {
                printJson(current);
            } else {
                say(current.isEmpty() ? "no processes" : format(current));
            }
            return 0;
        }
        Map<String, Integer> next = new TreeMap<>(current);
        next.putAll(wanted);
        Formation formation = client().scale(name, app.releaseId(), next);
        say("Scaling " + name + " to " + format(formation.processes()));
        if (noWait) {
            return 0;
        }
        return waitUntilUp(name, app, new TreeMap<>(formation.processes()));
    }

    private int waitUntilUp(String name, App app, Map<String, Integer> wanted) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(timeoutSeconds).toNanos();
        String last = "";
        String lastRouting = "";
        while (true) {
            List<Job> jobs = client().jobs(name, true).stream()
                    .filter(j -> app.releaseId().equals(j.releaseId())).toList();
            Map<String, Long> up = jobs.stream().filter(j -> j.state() == JobState.UP)
                    .collect(Collectors.groupingBy(Job::processType, TreeMap::new, Collectors.counting()));
            Map<String, Long> running = jobs.stream()
                    .collect(Collectors.groupingBy(Job::processType, TreeMap::new, Collectors.counting()));
            String progress = wanted.entrySet().stream()
                    .map(e -> e.getKey() + ": " + up.getOrDefault(e.getKey(), 0L) + "/" + e.getValue() + " up")
                    .collect(Collectors.joining(", "));
            if (!progress.equals(last)) {
                say("  " + progress);
                last = progress;
            }
            boolean done = wanted.entrySet().stream().allMatch(e ->
                    up.getOrDefault(e.getKey(), 0L) == e.getValue().longValue()
                            && running.getOrDefault(e.getKey(), 0L) == e.getValue().longValue());
            boolean counted = done;
            if (done && wanted.containsKey("web")) {
                String routing = routing(name, jobs);
                if (routing != null && !routing.equals(lastRouting)) {
                    say("  " + routing);
                    lastRouting = routing;
                }
                done = routing == null;
            }
            if (done) {
                say("Done.");
                return 0;
            }
            if (System.nanoTime() > deadline) {
                throw new UserError("timed out after " + timeoutSeconds + " s waiting for " + progress
                        + " (see 'pier ps')");
            }
            Thread.sleep(counted ? 100 : 500); // the routers catch up within milliseconds
        }
    }

    /**
     * What the routers do not do yet for the app's web jobs that are up (route to each, and to nothing else), or
     * null when every router serves exactly them: "Done." is true for a client only then.
     */
    private String routing(String name, List<Job> jobs) {
        Set<String> upWeb = jobs.stream().filter(j -> "web".equals(j.processType()) && j.state() == JobState.UP)
                .map(Job::id).collect(Collectors.toSet());
        AppRouting routing = client().routing(name);
        Routing.Verdict verdict = Routing.judge(Set.copyOf(routing.domains()), routing.routers(), upWeb, upWeb);
        return verdict.settled(upWeb) ? null : "web: waiting for the routers (" + verdict.waiting() + ")";
    }

    private static String format(Map<String, Integer> processes) {
        return processes.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).collect(Collectors.joining(" "));
    }
}
