package dev.pier.gitreceiver.ssh;

import dev.pier.api.Names;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What an SSH exec request asks for, as a pure parse: {@code git-receive-pack '/shop.git'} (a push) or
 * {@code git-upload-pack '/shop.git'} (a fetch or clone) of app {@code shop}. The path may go without the
 * leading slash, the quotes or the {@code .git}; anything else is refused with a message for the user.
 */
public record GitRequest(Service service, String app) {

    public enum Service { RECEIVE_PACK, UPLOAD_PACK }

    private static final Pattern COMMAND = Pattern.compile("^(git-receive-pack|git-upload-pack) +'?/?([^'/]*?)(\\.git)?'?$");

    /** The request, or a problem naming what is wrong. */
    public static Parsed parse(String command) {
        if (command == null) {
            return Parsed.problem("pier: give a git command (git push pier main)");
        }
        Matcher m = COMMAND.matcher(command.strip());
        if (!m.matches()) {
            return Parsed.problem("pier: only git push and git fetch are served here, not '"
                    + Names.printable(command.length() > 80 ? command.substring(0, 80) + "..." : command) + "'");
        }
        String app = m.group(2);
        Optional<String> problem = Names.problemWithApp(app);
        if (problem.isPresent()) {
            return Parsed.problem("pier: " + problem.get());
        }
        Service service = m.group(1).equals("git-receive-pack") ? Service.RECEIVE_PACK : Service.UPLOAD_PACK;
        return new Parsed(new GitRequest(service, app), null);
    }

    /** Either a request or a problem. */
    public record Parsed(GitRequest request, String problem) {
        static Parsed problem(String problem) {
            return new Parsed(null, problem);
        }
    }
}
