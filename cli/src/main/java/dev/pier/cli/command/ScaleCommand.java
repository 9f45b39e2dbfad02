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

@Command(name = "scale", description = "Show or change how many processes of each type run, and with how much "
        + "memory each, e.g. 'pier scale web=3 worker=1', 'pier scale web=2:512M'.")
public class ScaleCommand extends PierCommand {
    @Parameters(paramLabel = "TYPE=COUNT[:SIZE]", arity = "0..*",
            description = "SIZE is a memory limit per process: 512M, 1G or a number of MB (default: the cluster's)")
    List<String> changes = List.of();
    @Option(names = {"-n", "--no-wait"}, description = "do not wait for the processes to be up")
    boolean noWait;
    @Option(names = "--timeout", defaultValue = "120", paramLabel = "SECONDS",
            description = "how long to wait (default: ${DEFAULT-VALUE} s)")
    int timeoutSeconds;
    @Option(names = "--json", description = "print JSON (without changes: the formation)")
    boolean json;

    /** What the arguments ask: counts per type, and memory limits (MB) for the types given a size. */
    record Changes(Map<String, Integer> counts, Map<String, Integer> memoryMb) {
    }

    /** Parses {@code TYPE=COUNT[:SIZE]} arguments, refusing bad ones with a message naming the argument. */
    static Changes parse(List<String> arguments) {
        Map<String, Integer> counts = new LinkedHashMap<>();
        Map<String, Integer> memory = new LinkedHashMap<>();
        for (String argument : arguments) {
            int eq = argument.indexOf('=');
            if (eq <= 0) {
                throw new UserError("invalid scale argument '" + argument + "': expected TYPE=COUNT[:SIZE], e.g. web=3 "
                        + "or web=2:512M");
            }
            String type = argument.substring(0, eq);
            String value = argument.substring(eq + 1);
            Names.problemWithProcessType(type).ifPresent(p -> {
                throw new UserError("invalid scale argument '" + argument + "': " + p);
            });
            int colon = value.indexOf(':');
            String count = colon < 0 ? value : value.substring(0, colon);
            if (!count.matches("^[0-9]{1,3}$") || Integer.parseInt(count) > 100) {
                throw new UserError("invalid scale argument '" + argument + "': the count must be a whole number from 0 to 100");
            }
            if (counts.put(type, Integer.parseInt(count)) != null) {
                throw new UserError("process type '" + type + "' is given twice");
            }
            if (colon >= 0) {
                memory.put(type, memoryMb(argument, value.substring(colon + 1)));
            }
        }
        return new Changes(counts, memory);
    }

    /** A size as people write it: 512M, 512MB, 1G, 1.5G, or a number of MB. */
    static int memoryMb(String argument, String size) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("^([0-9]{1,6}(?:\\.[0-9]{1,3})?)([MmGg][Bb]?)?$")
                .matcher(size);
        if (!m.matches()) {
            throw new UserError("invalid scale argument '" + argument + "': the size must be like 512M or 1G, not '"
                    + size + "'");
        }
        double number = Double.parseDouble(m.group(1));
        boolean gigabytes = m.group(2) != null && Character.toLowerCase(m.group(2).charAt(0)) == 'g';
        long mb = Math.round(gigabytes ? number * 1024 : number);
        if (mb < Names.MIN_MEMORY_MB || mb > Names.MAX_MEMORY_MB) {
            throw new UserError("invalid scale argument '" + argument + "': the size must be between "
                    + Names.MIN_MEMORY_MB + " MB and " + Names.MAX_MEMORY_MB / 1024 + " GB");
        }
        return (int) mb;
    }

    @Override
    public Integer call() throws InterruptedException {
        Changes wanted = parse(changes);
        String name = app();
        App app = client().app(name);
        if (app.releaseId() == null) {
            throw new UserError("'" + name + "' has no release yet: push code first");
        }
        Map<String, Integer> current = new TreeMap<>();
        Map<String, Integer> currentMemory = new TreeMap<>();
        try {
            Formation formation = client().formation(name, app.releaseId());
            current.putAll(formation.processes());
            currentMemory.putAll(formation.memoryMb());
        } catch (PierApiException e) {
            if (!e.isNotFound()) {
                throw e;
            }
        }
        if (wanted.counts().isEmpty()) {
            if (json) {
                printJson(current);
            } else {
                say(current.isEmpty() ? "no processes" : format(current, currentMemory));
            }
            return 0;
        }
        Map<String, Integer> next = new TreeMap<>(current);
        next.putAll(wanted.counts());
        Formation formation;
        if (wanted.memoryMb().isEmpty()) {
            formation = client().scale(name, app.releaseId(), next);
        } else {
            Map<String, Integer> nextMemory = new TreeMap<>(currentMemory);
            nextMemory.putAll(wanted.memoryMb());
            formation = client().scale(name, app.releaseId(), next, nextMemory);
        }
        say("Scaling " + name + " to " + format(formation.processes(), formation.memoryMb()));
        if (noWait) {
            return 0;
        }
        return waitUntilUp(name, app, new TreeMap<>(formation.processes()), formation.memoryMb());
    }

    /** Waits until each type has its count of jobs up and no other, each at its memory limit when one is set. */
    private int waitUntilUp(String name, App app, Map<String, Integer> wanted, Map<String, Integer> memoryMb)
            throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(timeoutSeconds).toNanos();
        String last = "";
        String lastRouting = "";
        while (true) {
            List<Job> jobs = client().jobs(name, true).stream()
                    .filter(j -> app.releaseId().equals(j.releaseId())).toList();
            Map<String, Long> up = jobs.stream().filter(j -> j.state() == JobState.UP)
                    .filter(j -> !memoryMb.containsKey(j.processType())
                            || memoryMb.get(j.processType()).equals(j.memoryMb()))
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

    private static String format(Map<String, Integer> processes, Map<String, Integer> memoryMb) {
        return new TreeMap<>(processes).entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()
                        + (memoryMb.containsKey(e.getKey()) ? ":" + size(memoryMb.get(e.getKey())) : ""))
                .collect(Collectors.joining(" "));
    }

    /** 512 -> 512M, 1024 -> 1G */
    static String size(int mb) {
        return mb % 1024 == 0 ? mb / 1024 + "G" : mb + "M";
    }
}
