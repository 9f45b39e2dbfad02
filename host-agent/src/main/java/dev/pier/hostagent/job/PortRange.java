package dev.pier.hostagent.job;

import java.util.Optional;
import java.util.Set;
import java.util.function.IntPredicate;

/** The ports an agent publishes jobs on, e.g. {@code 20000-20999}; picks the lowest free one. */
public record PortRange(int first, int last) {

    public PortRange {
        if (first < 1024 || last > 65535 || first > last) {
            throw new IllegalArgumentException("port range " + first + "-" + last + " must lie within 1024-65535");
        }
    }

    public static PortRange parse(String property, String value) {
        String[] parts = value == null ? new String[0] : value.strip().split("-");
        try {
            if (parts.length == 2) {
                return new PortRange(Integer.parseInt(parts[0].strip()), Integer.parseInt(parts[1].strip()));
            }
        } catch (NumberFormatException e) {
            // fall through
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(property + " '" + value + "': " + e.getMessage());
        }
        throw new IllegalArgumentException(property + " '" + value + "' is not a range like 20000-20999");
    }

    public boolean contains(int port) {
        return port >= first && port <= last;
    }

    /**
     * The lowest port not in {@code taken} that {@code bindable} accepts (another program may hold a port of
     * the range), starting after {@code after} and wrapping, so a freed port is not reused at once.
     */
    public Optional<Integer> pick(Set<Integer> taken, int after, IntPredicate bindable) {
        int size = last - first + 1;
        int start = contains(after + 1) ? after + 1 - first : 0;
        for (int i = 0; i < size; i++) {
            int port = first + (start + i) % size;
            if (!taken.contains(port) && bindable.test(port)) {
                return Optional.of(port);
            }
        }
        return Optional.empty();
    }
}
