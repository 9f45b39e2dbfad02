package dev.pier.cli.command;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.pier.api.controller.ControllerClient;
import dev.pier.api.http.Json;
import dev.pier.cli.Pier;
import dev.pier.cli.Session;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** The base of every command: its session, its output streams, JSON printing. */
public abstract class PierCommand implements Callable<Integer> {
    @Spec
    protected CommandSpec spec;

    protected Session session() {
        return ((Pier) spec.root().userObject()).session();
    }

    protected ControllerClient client() {
        return session().client();
    }

    protected String app() {
        return session().app();
    }

    protected PrintWriter out() {
        return spec.commandLine().getOut();
    }

    protected PrintWriter err() {
        return spec.commandLine().getErr();
    }

    protected void printJson(Object value) {
        try {
            out().println(Json.mapper().writerWithDefaultPrettyPrinter().writeValueAsString(value));
            out().flush();
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    protected void say(String line) {
        out().println(line);
        out().flush();
    }
}
