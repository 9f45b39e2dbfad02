package dev.pier.api;

import java.util.Arrays;
import java.util.Locale;
import java.util.function.Function;
import java.util.stream.Collectors;

/** The wire names of Pier's enums: the constant's name in lower case, and back, with an error naming the choices. */
public final class WireNames {
    private WireNames() {
    }

    /** {@code RUNNING → "running"}. */
    public static String of(Enum<?> constant) {
        return constant.name().toLowerCase(Locale.ROOT);
    }

    /** The constant of {@code values} whose wire name ({@code name}) is {@code value}. */
    public static <E extends Enum<E>> E parse(E[] values, Function<E, String> name, String value, String what) {
        for (E constant : values) {
            if (name.apply(constant).equals(value)) {
                return constant;
            }
        }
        throw new IllegalArgumentException("unknown " + what + " '" + value + "' (expected one of "
                + Arrays.stream(values).map(name).collect(Collectors.joining(", ")) + ")");
    }
}
