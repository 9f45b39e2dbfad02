package dev.pier.cli.command;

import dev.pier.api.LogLine;
import dev.pier.api.Names;
import dev.pier.cli.UserError;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "log", description = "Show the app's log, merged from its jobs, or one job's (-j); -f follows it.")
public class LogCommand extends PierCommand {
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'")
            .withZone(ZoneOffset.UTC);

    @Option(names = {"-f", "--follow"}, description = "keep printing new lines")
    boolean follow;
    @Option(names = {"-p", "--process"}, paramLabel = "TYPE", description = "only this process type")
    String process;
    @Option(names = {"-n", "--lines"}, defaultValue = "100", paramLabel = "N", description = "how many lines first (default ${DEFAULT-VALUE})")
    int lines;
    @Option(names = "--json", description = "print one JSON object per line")
    boolean json;
    @Option(names = {"-j", "--job"}, paramLabel = "ID", description = "only this job (a one-off job from 'pier run -d'); -f ends when it ends")
    String job;

    @Override
    public Integer call() {
        if (lines < 0 || lines > 10_000) {
            throw new UserError("-n takes a number from 0 to 10000");
        }
        if (process != null) {
            Names.problemWithProcessType(process).ifPresent(p -> {
                throw new UserError(p);
            });
        }
        if (job != null) {
            client().jobLog(app(), job, lines, follow, this::print);
        } else {
            client().log(app(), process, lines, follow, this::print);
        }
        return 0;
    }

    private void print(LogLine line) {
        if (json) {
            printJson(line);
            return;
        }
        String time = line.timestamp() == null ? "" : TIME.format(line.timestamp()) + " ";
        // the platform's own lines (a job killed for memory) say who speaks, as Heroku's "heroku[web.1]" lines do
        String source = "pier".equals(line.stream()) ? "pier" : line.app();
        say(time + source + "[" + line.processType() + "." + line.jobId() + "]: " + line.text());
    }
}
