package dev.pier.cli.command;

import dev.pier.api.Job;
import dev.pier.api.NewJob;
import dev.pier.api.http.PierApiException;
import dev.pier.cli.Pier;
import dev.pier.cli.Terminal;
import dev.pier.cli.UserError;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What {@code pier pg} and {@code pier redis} share: a server's client program run as a one-off job of the
 * provider's system app (whose image carries it), attached as {@code pier run} is, with the app's config vars of its
 * resource and nothing else of the app.
 */
abstract class AddonJob extends PierCommand {
    /**
     * One add-on's client jobs.
     *
     * @param provider  the provider's name ({@code pier resource add <provider>})
     * @param systemApp the provider's system app, whose image has the client programs
     * @param urlVar    the config var the app must have ({@code DATABASE_URL})
     * @param varPrefix the app's other config vars the job gets (those starting with it: {@code PG})
     * @param what      what the app must have attached, after "attach" ({@code a database})
     * @param programs  the client programs, in messages ({@code PostgreSQL's client programs})
     * @param blanked   the system app's own secret config var, blanked in the job
     */
    record Addon(String provider, String systemApp, String urlVar, String varPrefix, String what, String programs,
                 String blanked) {
    }

    abstract Addon addon();

    Terminal terminal() {
        return ((Pier) spec.root().userObject()).terminal();
    }

    /** The job's env: the app's {@code urlVar} and the vars starting with {@code varPrefix}; the system app's secret blanked. */
    static Map<String, String> jobEnv(Addon addon, String app, Map<String, String> appEnv) {
        String url = appEnv.get(addon.urlVar());
        if (url == null || url.isBlank()) {
            throw new UserError("app '" + app + "' has no " + addon.urlVar() + ": attach " + addon.what() + " first "
                    + "(pier -a " + app + " resource add " + addon.provider() + ")");
        }
        Map<String, String> env = new LinkedHashMap<>();
        env.put(addon.urlVar(), url);
        appEnv.forEach((name, value) -> {
            if (name.startsWith(addon.varPrefix())) {
                env.put(name, value);
            }
        });
        env.put(addon.blanked(), "");
        return env;
    }

    /** The system app the job runs in, for the app's resource: the provider's one ({@link Addon#systemApp()}). */
    String systemApp(String app) {
        return addon().systemApp();
    }

    /** Where the system app comes from, in an error message. */
    String systemAppOrigin(String systemApp) {
        return "the system app " + systemApp + " is made by the " + addon().provider() + " provider: bin/pier-dev up";
    }

    /** Starts {@code command} as a one-off job of the system app with the app's env (and {@code extraEnv}). */
    Job start(String systemApp, List<String> command, Map<String, String> extraEnv, boolean interactive, boolean tty) {
        Addon addon = addon();
        String app = app();
        Map<String, String> env = jobEnv(addon, app, client().env(app));
        env.putAll(extraEnv);
        try {
            return client().run(systemApp, new NewJob(null, command, env, interactive, tty, null));
        } catch (PierApiException e) {
            if (e.status() == 404 || e.status() == 409) {
                throw new UserError("cannot run " + addon.programs() + ": " + e.getMessage() + " ("
                        + systemAppOrigin(systemApp) + ")");
            }
            throw e;
        }
    }

    /** Starts {@code command} and attaches to it: its exit status. */
    int run(List<String> command, Map<String, String> extraEnv, boolean tty) {
        String systemApp = systemApp(app());
        Job job = start(systemApp, command, extraEnv, true, tty);
        return new AttachedRun(terminal()).run(client(), systemApp, job, tty);
    }
}
