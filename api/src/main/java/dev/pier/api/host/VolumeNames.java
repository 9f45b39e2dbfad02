package dev.pier.api.host;

import dev.pier.api.Names;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The one place volume names are made and read. A formation job of a process type with volumes fills a
 * numbered slot ({@code 0..count-1}); its k-th volume is {@code <app>.<type>.<slot>} for k = 0 and
 * {@code <app>.<type>.<slot>.<k>} after, so the same slot gets the same volumes across restarts, deploys and
 * scaling. App names and process types hold no dot, so a name reads back unambiguously. Pure.
 */
public final class VolumeNames {
    /** Any volume name a host agent accepts (a Docker volume name, bounded). */
    public static final Pattern NAME = Pattern.compile("^[a-z0-9][a-z0-9_.-]{0,127}$");
    private static final Pattern SLOT = Pattern.compile("^([a-z][a-z0-9-]*)\\.([a-z][a-z0-9_-]*)\\.(\\d{1,3})(?:\\.(\\d{1,2}))?$");

    /** Where a volume name says it belongs: app, process type, slot and the index of the volume in its type. */
    public record Owner(String app, String processType, int slot, int index) {
    }

    private VolumeNames() {
    }

    public static String of(String app, String processType, int slot, int index) {
        return app + "." + processType + "." + slot + (index == 0 ? "" : "." + index);
    }

    /** The owner of a name made by {@link #of}; empty for any other name. */
    public static Optional<Owner> owner(String name) {
        if (name == null) {
            return Optional.empty();
        }
        Matcher m = SLOT.matcher(name);
        if (!m.matches() || Names.problemWithApp(m.group(1)).isPresent()
                || Names.problemWithProcessType(m.group(2)).isPresent()) {
            return Optional.empty();
        }
        return Optional.of(new Owner(m.group(1), m.group(2), Integer.parseInt(m.group(3)),
                m.group(4) == null ? 0 : Integer.parseInt(m.group(4))));
    }

    public static Optional<String> problemWithName(String name) {
        if (name == null || !NAME.matcher(name).matches()) {
            return Optional.of("volume name '" + Names.printable(String.valueOf(name)) + "' is invalid: use 1 to 128 "
                    + "lowercase letters, digits, '_', '.' and '-', starting with a letter or digit");
        }
        return Optional.empty();
    }
}
