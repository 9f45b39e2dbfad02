package dev.pier.api.router;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * Whether the routers serve a deployment's web jobs, and only those: a pure judgement of what every router
 * answered about the app's web service ({@link RoutedService}) against the app's domains and the jobs.
 *
 * <p>A router counts once it routes every domain of the app to the service (it has read the app's routes); a
 * new job is <em>routed</em> when every router sends requests to it; a job of another release is
 * <em>stale</em> while any router still does. A router that did not answer counts against both, so a deployment
 * never claims what it could not check. An app with no domains, or a cluster with no router, is reached by no
 * client through a router: nothing to wait for.
 */
public final class Routing {
    private Routing() {
    }

    /**
     * @param routed  the jobs of {@code wanted} that every router routes to
     * @param stale   the instances some router still routes to that are not the new release's
     * @param waiting what is not yet true, for the deployment's step (empty when nothing)
     */
    public record Verdict(Set<String> routed, Set<String> stale, String waiting) {
        public boolean settled(Set<String> wanted) {
            return routed.containsAll(wanted) && stale.isEmpty();
        }
    }

    /**
     * @param domains     the app's domains (routes to its web service)
     * @param answers     every registered router's answer
     * @param wanted      the new release's web jobs that are up (health check passed)
     * @param newReleases the ids of every job of the new release (any state), which may be routed
     */
    public static Verdict judge(Set<String> domains, List<RouterAnswer> answers, Set<String> wanted, Set<String> newReleases) {
        if (domains.isEmpty() || answers.isEmpty()) {
            return new Verdict(Set.copyOf(wanted), Set.of(), "");
        }
        Set<String> routed = new TreeSet<>(wanted);
        Set<String> stale = new TreeSet<>();
        List<String> waits = new ArrayList<>();
        for (RouterAnswer answer : answers) {
            if (answer.view() == null) {
                routed.clear();
                waits.add("router " + answer.router() + " did not answer (" + answer.error() + ")");
                continue;
            }
            Set<String> missingDomains = new TreeSet<>(domains);
            missingDomains.removeAll(answer.view().domains());
            if (!missingDomains.isEmpty()) {
                routed.clear();
                waits.add("router " + answer.router() + " does not route " + String.join(", ", missingDomains) + " yet");
                continue;
            }
            Set<String> instances = new LinkedHashSet<>(answer.view().instances());
            Set<String> notThere = new TreeSet<>(wanted);
            notThere.removeAll(instances);
            routed.removeAll(notThere);
            if (!notThere.isEmpty()) {
                waits.add("router " + answer.router() + " does not route to " + String.join(", ", notThere) + " yet");
            }
            for (String instance : instances) {
                if (!newReleases.contains(instance)) {
                    stale.add(instance);
                }
            }
        }
        if (!stale.isEmpty()) {
            waits.add("routers still send requests to " + String.join(", ", stale));
        }
        return new Verdict(Set.copyOf(routed), Set.copyOf(stale), String.join("; ", waits));
    }
}
