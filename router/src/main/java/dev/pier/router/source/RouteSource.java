package dev.pier.router.source;

import dev.pier.api.Route;
import java.util.List;

/** Where routes come from (the controller in production, a list in tests). */
public interface RouteSource {

    /** Every route now. Throws when the source cannot be read (the last view is kept). */
    List<Route> routes();

    /** Calls {@code onChange} whenever routes may have changed; close to stop. */
    AutoCloseable onChange(Runnable onChange);
}
