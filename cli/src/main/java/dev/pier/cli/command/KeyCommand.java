package dev.pier.cli.command;

import dev.pier.api.SshKey;
import dev.pier.cli.Table;
import dev.pier.cli.UserError;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "key", description = "List, add and remove the SSH keys allowed to push.",
        subcommands = {KeyCommand.Add.class, KeyCommand.Remove.class})
public class KeyCommand extends PierCommand {
    @Option(names = "--json", description = "print JSON")
    boolean json;

    @Override
    public Integer call() {
        List<SshKey> keys = client().keys();
        if (json) {
            printJson(keys);
            return 0;
        }
        Table table = new Table("FINGERPRINT", "TYPE", "COMMENT");
        keys.forEach(k -> table.row(k.fingerprint(), k.type(), k.comment()));
        table.print(out());
        return 0;
    }

    @Command(name = "list", description = "List keys.")
    int list(@Option(names = "--json", description = "print JSON") boolean asJson) {
        json = asJson;
        return call();
    }

    @Command(name = "add", description = "Add a public key (default: ~/.ssh/id_ed25519.pub, id_ecdsa.pub or id_rsa.pub).")
    static class Add extends PierCommand {
        @Parameters(paramLabel = "FILE", arity = "0..1")
        Path file;

        @Override
        public Integer call() throws IOException {
            Path chosen = file != null ? file : defaultKey();
            if (chosen.getFileName().toString().matches("id_[a-z0-9]+") && Files.exists(Path.of(chosen + ".pub"))) {
                throw new UserError(chosen + " looks like a PRIVATE key; give " + chosen + ".pub");
            }
            if (!Files.isReadable(chosen)) {
                throw new UserError("cannot read " + chosen);
            }
            if (Files.size(chosen) > 64 * 1024) {
                throw new UserError(chosen + " is too large to be a public key");
            }
            SshKey key = client().addKey(Files.readString(chosen).strip());
            say("Added key " + key.fingerprint() + (key.comment() == null ? "" : " (" + key.comment() + ")"));
            return 0;
        }

        private static Path defaultKey() {
            Path ssh = Path.of(System.getProperty("user.home"), ".ssh");
            for (String name : List.of("id_ed25519.pub", "id_ecdsa.pub", "id_rsa.pub")) {
                if (Files.isReadable(ssh.resolve(name))) {
                    return ssh.resolve(name);
                }
            }
            throw new UserError("no public key in " + ssh + ": make one with 'ssh-keygen -t ed25519' or give a file");
        }
    }

    @Command(name = "remove", description = "Remove a key by its fingerprint (as 'pier key' shows it).")
    static class Remove extends PierCommand {
        @Parameters(paramLabel = "FINGERPRINT")
        String fingerprint;

        @Override
        public Integer call() {
            client().removeKey(fingerprint);
            say("Removed key " + fingerprint);
            return 0;
        }
    }
}
