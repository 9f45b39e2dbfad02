package dev.pier.controller.route;

import dev.pier.controller.support.Now;
import dev.pier.api.EventTypes;
import dev.pier.api.Names;
import dev.pier.api.NewRoute;
import dev.pier.api.Route;
import dev.pier.api.tls.PemCredentials;
import dev.pier.controller.app.AppEntity;
import dev.pier.controller.app.Apps;
import dev.pier.controller.event.EventLog;
import dev.pier.controller.support.Input;
import dev.pier.web.ApiProblem;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/** Domains routed to apps' web services; a domain belongs to one app cluster-wide. */
@Service
public class RouteService {
    private static final int MAX_PEM = 64 * 1024;

    private final RouteRepository routes;
    private final Apps apps;
    private final EventLog events;

    public RouteService(RouteRepository routes, Apps apps, EventLog events) {
        this.routes = routes;
        this.apps = apps;
        this.events = events;
    }

    @Transactional
    public Route add(String appName, NewRoute request) {
        AppEntity app = apps.locked(appName);
        Input.required("body", request);
        return add(app, request.domain(), request.tlsCert(), request.tlsKey());
    }

    /** Adds a route to an app the caller has locked (also used for the default route of a new app). */
    public Route add(AppEntity app, String rawDomain, String tlsCert, String tlsKey) {
        Input.check("domain", Names.problemWithDomain(rawDomain));
        String domain = rawDomain.toLowerCase(Locale.ROOT);
        checkTls(tlsCert, tlsKey);
        if (routes.existsByDomain(domain)) {
            throw ApiProblem.conflict("domain", "domain '" + domain + "' is already routed to an app");
        }
        RouteEntity route = routes.saveAndFlush(new RouteEntity(app.id(), domain, Names.webService(app.name()), tlsCert,
                tlsKey, Now.instant()));
        Route record = route.toRecord(app.name(), false);
        events.append(app.name(), EventTypes.ROUTE, route.id(), record);
        return record;
    }

    @Transactional(readOnly = true)
    public List<Route> list(String appName) {
        AppEntity app = apps.live(appName);
        return routes.findByApp(app.id()).stream().map(r -> r.toRecord(app.name(), false)).toList();
    }

    /** Every route of every live app, with TLS keys: what the router needs. */
    @Transactional(readOnly = true)
    public List<Route> listAll() {
        return routes.findAll().stream()
                .sorted(java.util.Comparator.comparing(RouteEntity::domain))
                .map(r -> r.toRecord(apps.nameOf(r.appId()), true)).toList();
    }

    /** Removes a route named by its id or its domain. */
    @Transactional
    public void remove(String appName, String idOrDomain) {
        AppEntity app = apps.locked(appName);
        RouteEntity route = find(idOrDomain)
                .filter(r -> r.appId().equals(app.id()))
                .orElseThrow(() -> ApiProblem.notFound("app '" + appName + "' has no route '"
                        + Names.printable(idOrDomain) + "'"));
        removeRoute(app, route);
    }

    /** Removes every route of an app the caller has locked. */
    public void removeAll(AppEntity app) {
        routes.findByApp(app.id()).forEach(route -> removeRoute(app, route));
    }

    private void removeRoute(AppEntity app, RouteEntity route) {
        routes.delete(route);
        events.append(app.name(), EventTypes.ROUTE_DELETION, route.id(), route.toRecord(app.name(), false));
    }

    private java.util.Optional<RouteEntity> find(String idOrDomain) {
        try {
            return routes.findById(UUID.fromString(idOrDomain));
        } catch (IllegalArgumentException notAnId) {
            return routes.findByDomain(idOrDomain.toLowerCase(Locale.ROOT));
        }
    }

    private static void checkTls(String cert, String key) {
        if (cert == null && key == null) {
            return;
        }
        if (cert == null || key == null) {
            throw ApiProblem.badRequest(cert == null ? "tls_cert" : "tls_key",
                    "a TLS route needs both tls_cert and tls_key");
        }
        if (cert.length() > MAX_PEM || key.length() > MAX_PEM) {
            throw ApiProblem.badRequest(cert.length() > MAX_PEM ? "tls_cert" : "tls_key",
                    "PEM text is longer than " + MAX_PEM + " characters");
        }
        try {
            PemCredentials.parse(cert, key);
        } catch (PemCredentials.Invalid e) {
            throw switch (e.part()) {
                case CERTIFICATE -> ApiProblem.badRequest("tls_cert", "tls_cert: " + e.getMessage());
                case KEY -> ApiProblem.badRequest("tls_key", "tls_key: " + e.getMessage());
                case PAIR -> ApiProblem.badRequest("tls_key",
                        "tls_key does not belong to the first certificate of tls_cert");
            };
        }
    }
}
