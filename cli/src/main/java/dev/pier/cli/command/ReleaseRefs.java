package dev.pier.cli.command;

import dev.pier.api.Release;
import dev.pier.api.controller.ControllerClient;
import dev.pier.cli.UserError;
import java.util.UUID;

/** A release named on the command line: its id, or its version as {@code v3} or {@code 3}. */
final class ReleaseRefs {
    private ReleaseRefs() {
    }

    static UUID resolve(ControllerClient client, String app, String ref) {
        try {
            return UUID.fromString(ref);
        } catch (IllegalArgumentException notAnId) {
            String digits = ref.startsWith("v") ? ref.substring(1) : ref;
            if (!digits.matches("^[0-9]{1,9}$")) {
                throw new UserError("'" + ref + "' is not a release: give its id or its version (v3)");
            }
            int version = Integer.parseInt(digits);
            return client.releases(app).stream().filter(r -> r.version() == version).map(Release::id).findFirst()
                    .orElseThrow(() -> new UserError("'" + app + "' has no release v" + version));
        }
    }
}
