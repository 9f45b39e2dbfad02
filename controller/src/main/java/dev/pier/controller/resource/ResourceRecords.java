package dev.pier.controller.resource;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.pier.api.EventTypes;
import dev.pier.api.NewProvider;
import dev.pier.api.Provider;
import dev.pier.api.ReleaseChange;
import dev.pier.api.Resource;
import dev.pier.api.Resource.AppReleaseChange;
import dev.pier.api.http.Json;
import dev.pier.api.provider.ProvidedResource;
import dev.pier.controller.app.AppEntity;
import dev.pier.controller.app.Apps;
import dev.pier.controller.deploy.DeployService;
import dev.pier.controller.event.EventLog;
import dev.pier.controller.release.ReleaseService;
import dev.pier.controller.support.Input;
import dev.pier.controller.support.Now;
import dev.pier.web.ApiProblem;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpStatus;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

/**
 * Providers, resources and which apps they are attached to, in PostgreSQL; each change one transaction with its
 * events. Attaching sets a resource's env on the app through {@link ReleaseService#changeEnv} (a new release,
 * deployed, as {@code pier env set} does); detaching unsets it the same way. Locks are taken apps first (in name
 * order), then the resource, by every change, so two changes never wait on each other in a circle.
 */
@Component
public class ResourceRecords {
    private static final Logger LOG = LoggerFactory.getLogger(ResourceRecords.class);
    private static final String SELECT = "SELECT r.id, p.name, r.external_id, r.env::text, r.created_at, r.state, "
            + "array(SELECT a.name FROM resource_apps ra JOIN apps a ON a.id = ra.app_id "
            + "WHERE ra.resource_id = r.id ORDER BY a.name) AS apps, r.provider_id "
            + "FROM resources r JOIN providers p ON p.id = r.provider_id";
    static final String PROVISIONED = "provisioned";
    static final String DEPROVISIONING = "deprovisioning";

    private final JdbcTemplate jdbc;
    private final Apps apps;
    private final ReleaseService releases;
    private final DeployService deploys;
    private final EventLog events;
    private final ObjectMapper json = Json.mapper();

    public ResourceRecords(JdbcTemplate jdbc, Apps apps, ReleaseService releases, DeployService deploys,
                           EventLog events) {
        this.jdbc = jdbc;
        this.apps = apps;
        this.releases = releases;
        this.deploys = deploys;
        this.events = events;
    }

    /** One resource row, with its provider's name and its apps' names. */
    record Row(UUID id, String provider, String externalId, Map<String, String> env,
               java.time.Instant createdAt, String state, List<String> apps, UUID providerId) {
        Resource toRecord() {
            return new Resource(id, provider, externalId, env, apps, createdAt, null);
        }

        /** What an event says of it: everything but the env, whose values are secrets. */
        Map<String, Object> eventData() {
            Map<String, Object> data = new LinkedHashMap<>();
            data.put("id", id);
            data.put("provider", provider);
            data.put("external_id", externalId);
            data.put("env_names", new TreeSet<>(env.keySet()));
            data.put("apps", apps);
            return data;
        }

        String describe() {
            return "resource " + id + " (" + provider + ")";
        }
    }

    // ---- providers ----

    @Transactional
    public Provider createProvider(NewProvider request) {
        Input.required("body", request);
        Input.check("name", ProviderAddress.problemWithName(request.name()));
        ProviderAddress.Parsed url = ProviderAddress.parse(request.url());
        if (url.problem() != null) {
            throw ApiProblem.badRequest("url", url.problem());
        }
        String description = request.description();
        if (description != null && (description.length() > 500 || description.chars().anyMatch(c -> c < 32))) {
            throw ApiProblem.badRequest("description", "description must be one line of at most 500 characters");
        }
        // the unique name is the lock: a concurrent duplicate waits for this insert, then does nothing
        Provider provider = new Provider(UUID.randomUUID(), request.name(), request.url(), description, Now.instant());
        int inserted = jdbc.update("INSERT INTO providers (id, name, url, description, created_at) "
                        + "VALUES (?, ?, ?, ?, ?) ON CONFLICT (name) DO NOTHING", provider.id(), provider.name(),
                provider.url(), provider.description(), Timestamp.from(provider.createdAt()));
        if (inserted == 0) {
            throw ApiProblem.conflict("name", "a provider named '" + request.name() + "' exists already");
        }
        events.append(null, EventTypes.PROVIDER, provider.id(), provider);
        LOG.info("event=provider_created provider={} url={}", provider.name(), provider.url());
        return provider;
    }

    @Transactional(readOnly = true)
    public List<Provider> providers() {
        return jdbc.query("SELECT id, name, url, description, created_at FROM providers ORDER BY name",
                ResourceRecords::provider);
    }

    @Transactional(readOnly = true)
    public Provider provider(String name) {
        Input.check("provider", ProviderAddress.problemWithName(name));
        return jdbc.query("SELECT id, name, url, description, created_at FROM providers WHERE name = ?",
                        ResourceRecords::provider, name).stream().findFirst()
                .orElseThrow(() -> ApiProblem.notFound("no provider '" + name + "' (GET /providers, or "
                        + "'pier providers', lists them)"));
    }

    private Provider providerById(UUID id) {
        return jdbc.queryForObject("SELECT id, name, url, description, created_at FROM providers WHERE id = ?",
                ResourceRecords::provider, id);
    }

    private static Provider provider(ResultSet rs, int n) throws SQLException {
        return new Provider(rs.getObject(1, UUID.class), rs.getString(2), rs.getString(3), rs.getString(4),
                rs.getTimestamp(5).toInstant());
    }

    // ---- reading resources ----

    @Transactional(readOnly = true)
    public List<Resource> all() {
        return jdbc.query(SELECT + " ORDER BY r.created_at, r.id", this::row).stream().map(Row::toRecord).toList();
    }

    @Transactional(readOnly = true)
    public Resource get(String id) {
        return find(Input.uuid("resource", id)).toRecord();
    }

    @Transactional(readOnly = true)
    public List<Resource> ofApp(String appName) {
        AppEntity app = apps.live(appName);
        return jdbc.query(SELECT + " WHERE r.id IN (SELECT resource_id FROM resource_apps WHERE app_id = ?) "
                + "ORDER BY r.created_at, r.id", this::row, app.id()).stream().map(Row::toRecord).toList();
    }

    /** The provider of a resource, for the calls to it. */
    @Transactional(readOnly = true)
    public Provider providerOf(UUID resourceId) {
        return providerById(find(resourceId).providerId());
    }

    private Row find(UUID id) {
        return findRow(id).orElseThrow(() -> notFound(id));
    }

    private Optional<Row> findRow(UUID id) {
        return jdbc.query(SELECT + " WHERE r.id = ?", this::row, id).stream().findFirst();
    }

    private Row locked(UUID id) {
        List<UUID> found = jdbc.queryForList("SELECT id FROM resources WHERE id = ? FOR UPDATE", UUID.class, id);
        if (found.isEmpty()) {
            throw notFound(id);
        }
        return find(id);
    }

    static ApiProblem notFound(UUID id) {
        return ApiProblem.notFound("no resource " + id + " ('pier resource list --all' lists them)");
    }

    private Row row(ResultSet rs, int n) throws SQLException {
        try {
            // by name: PostgreSQL keeps jsonb's keys in an order of its own
            Map<String, String> env = json.readValue(rs.getString(4), new TypeReference<java.util.TreeMap<String, String>>() {
            });
            String[] apps = (String[]) rs.getArray(7).getArray();
            return new Row(rs.getObject(1, UUID.class), rs.getString(2), rs.getString(3), env,
                    rs.getTimestamp(5).toInstant(), rs.getString(6), List.of(apps), rs.getObject(8, UUID.class));
        } catch (JsonProcessingException e) {
            throw new SQLException("resource " + rs.getString(1) + " has an unreadable env", e);
        }
    }

    // ---- changes ----

    /**
     * The apps a new resource is to be attached to, checked before the provider is asked for it: names valid and
     * distinct, apps live, none with a deployment under way. Sorted.
     */
    @Transactional(readOnly = true)
    public List<String> attachable(List<String> appNames) {
        if (appNames == null) {
            return List.of();
        }
        TreeSet<String> names = new TreeSet<>();
        for (String name : appNames) {
            Input.appName("apps", name);
            if (!names.add(name)) {
                throw ApiProblem.badRequest("apps", "app '" + name + "' is named twice");
            }
            deploys.requireNoneActive(apps.live(name));
        }
        return List.copyOf(names);
    }

    /**
     * Records what the provider made and attaches it to {@code appNames} (checked by {@link #attachable}): all of
     * it, or nothing (the caller then deprovisions it at the provider).
     */
    @Transactional
    public Resource create(Provider provider, ProvidedResource made, List<String> appNames) {
        List<AppEntity> locked = new ArrayList<>();
        for (String name : new TreeSet<>(appNames)) {
            locked.add(apps.locked(name));
        }
        List<UUID> same = jdbc.queryForList("SELECT id FROM resources WHERE provider_id = ? AND external_id = ?",
                UUID.class, provider.id(), made.id());
        if (!same.isEmpty()) {
            throw new ApiProblem(HttpStatus.BAD_GATEWAY, "provider '" + provider.name() + "' answered resource id '"
                    + made.id() + "', which resource " + same.get(0) + " has already", null);
        }
        UUID id = UUID.randomUUID();
        jdbc.update("INSERT INTO resources (id, provider_id, external_id, env, created_at) VALUES (?, ?, ?, ?::jsonb, ?)",
                id, provider.id(), made.id(), write(made.env()), Timestamp.from(Now.instant()));
        Row row = find(id);
        events.append(null, EventTypes.RESOURCE, id, row.eventData());
        LOG.info("event=resource_provisioned resource={} provider={} external_id={}", id, provider.name(), made.id());
        List<AppReleaseChange> changes = new ArrayList<>();
        for (AppEntity app : locked) {
            changes.add(attach(app, row, "the new resource of provider '" + provider.name() + "'"));
        }
        return find(id).toRecord().withReleases(changes);
    }

    /** Attaches a resource to an app: its env set on the app as a new release, deployed. */
    @Transactional
    public Resource attach(String resourceId, String appName) {
        UUID id = Input.uuid("resource", resourceId);
        AppEntity app = apps.locked(appName);
        Row row = locked(id);
        AppReleaseChange change = attach(app, row, row.describe());
        return find(id).toRecord().withReleases(List.of(change));
    }

    /** Attaches {@code row} ({@code described} so in errors) to an app the caller has locked. */
    private AppReleaseChange attach(AppEntity app, Row row, String described) {
        if (DEPROVISIONING.equals(row.state())) {
            throw ApiProblem.conflict(null, row.describe() + " is being deprovisioned: it cannot be attached");
        }
        Integer attached = jdbc.queryForObject("SELECT count(*) FROM resource_apps WHERE resource_id = ? AND app_id = ?",
                Integer.class, row.id(), app.id());
        if (attached != null && attached > 0) {
            throw ApiProblem.conflict(null, row.describe() + " is attached to app '" + app.name() + "' already");
        }
        for (Row other : jdbc.query(SELECT + " WHERE r.id IN (SELECT resource_id FROM resource_apps WHERE app_id = ?) "
                + "ORDER BY r.created_at", this::row, app.id())) {
            TreeSet<String> both = new TreeSet<>(other.env().keySet());
            both.retainAll(row.env().keySet());
            if (!both.isEmpty()) {
                throw ApiProblem.conflict(null, described + " sets " + String.join(", ", both) + ", which "
                        + other.describe() + " sets on app '" + app.name() + "' already: detach that one first");
            }
        }
        jdbc.update("INSERT INTO resource_apps (resource_id, app_id, created_at) VALUES (?, ?, ?)", row.id(), app.id(),
                Timestamp.from(Now.instant()));
        ReleaseChange change = releases.changeEnv(app.name(), row.env());
        Map<String, Object> data = row.eventData();
        data.put("app", app.name());
        data.put("release_id", change.release().id());
        events.append(app.name(), EventTypes.RESOURCE_APP, row.id(), data);
        LOG.info("event=resource_attached resource={} app={} release={}", row.id(), app.name(), change.release().id());
        return new AppReleaseChange(app.name(), change);
    }

    /** Detaches a resource from an app: its env unset on the app as a new release, deployed. */
    @Transactional
    public Resource detach(String resourceId, String appName) {
        UUID id = Input.uuid("resource", resourceId);
        AppEntity app = apps.locked(appName);
        Row row = locked(id);
        AppReleaseChange change = detach(app, row);
        return find(id).toRecord().withReleases(List.of(change));
    }

    /**
     * Unsets the resource's config vars on the app, those that still hold the resource's values (one the user has
     * set to something else since is the user's now, and stays); no new release when none does.
     */
    private AppReleaseChange detach(AppEntity app, Row row) {
        int deleted = jdbc.update("DELETE FROM resource_apps WHERE resource_id = ? AND app_id = ?", row.id(), app.id());
        if (deleted == 0) {
            throw ApiProblem.notFound(row.describe() + " is not attached to app '" + app.name() + "'");
        }
        Map<String, String> current = releases.env(app.name());
        Map<String, String> unset = new LinkedHashMap<>();
        row.env().forEach((name, value) -> {
            if (value.equals(current.get(name))) {
                unset.put(name, null);
            }
        });
        ReleaseChange change = unset.isEmpty() ? null : releases.changeEnv(app.name(), unset);
        Map<String, Object> data = row.eventData();
        data.put("app", app.name());
        if (change != null) {
            data.put("release_id", change.release().id());
        }
        events.append(app.name(), EventTypes.RESOURCE_APP_DELETION, row.id(), data);
        LOG.info("event=resource_detached resource={} app={} release={}", row.id(), app.name(),
                change == null ? "unchanged" : change.release().id());
        return new AppReleaseChange(app.name(), change);
    }

    /** Forgets every attachment of an app being deleted (the caller has locked it): no releases, it has no future. */
    public void detachAll(AppEntity app) {
        for (UUID id : jdbc.queryForList("SELECT resource_id FROM resource_apps WHERE app_id = ? ORDER BY resource_id "
                + "FOR UPDATE", UUID.class, app.id())) {
            Row row = find(id);
            jdbc.update("DELETE FROM resource_apps WHERE resource_id = ? AND app_id = ?", id, app.id());
            Map<String, Object> data = row.eventData();
            data.put("app", app.name());
            events.append(app.name(), EventTypes.RESOURCE_APP_DELETION, id, data);
            LOG.info("event=resource_detached resource={} app={} reason=app_deleted", id, app.name());
        }
    }

    /**
     * The first step of deprovisioning: a resource still attached is a 409 naming its apps, unless {@code detach},
     * then it is detached from each (new releases). Marks it deprovisioning, so nothing attaches it meanwhile.
     */
    @Transactional
    public Resource startDeprovision(String resourceId, boolean detach) {
        UUID id = Input.uuid("resource", resourceId);
        Row before = find(id);
        if (!before.apps().isEmpty() && !detach) {
            throw ApiProblem.conflict(null, before.describe() + " is attached to " + appList(before.apps())
                    + ": detach it first, or deprovision with detach=true ('pier resource remove' does)");
        }
        List<AppEntity> locked = new ArrayList<>();
        for (String name : before.apps()) {
            locked.add(apps.locked(name));
        }
        Row row = locked(id);
        if (!new LinkedHashSet<>(row.apps()).equals(new LinkedHashSet<>(before.apps()))) {
            throw ApiProblem.conflict(null, row.describe() + " was attached or detached meanwhile: try again");
        }
        List<AppReleaseChange> changes = new ArrayList<>();
        for (AppEntity app : locked) {
            changes.add(detach(app, row));
        }
        jdbc.update("UPDATE resources SET state = ? WHERE id = ?", DEPROVISIONING, id);
        return find(id).toRecord().withReleases(changes);
    }

    /** The last step of deprovisioning, once the provider has dropped it: the row goes. */
    @Transactional
    public void deleted(UUID id) {
        Row row = locked(id);
        if (!row.apps().isEmpty()) {
            throw new IllegalStateException(row.describe() + " was attached while being deprovisioned");
        }
        jdbc.update("DELETE FROM resources WHERE id = ?", id);
        events.append(null, EventTypes.RESOURCE_DELETION, id, row.eventData());
        LOG.info("event=resource_deprovisioned resource={} provider={} external_id={}", id, row.provider(),
                row.externalId());
    }

    static String appList(List<String> names) {
        return (names.size() == 1 ? "app '" : "apps '") + String.join("', '", names) + "'";
    }

    private String write(Map<String, String> env) {
        try {
            return json.writeValueAsString(env);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
