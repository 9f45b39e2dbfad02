package dev.pier.controller.event;

import dev.pier.controller.support.Now;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.pier.api.Event;
import dev.pier.api.http.Json;
import jakarta.persistence.EntityManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * The append-only event log. Appends happen inside the transaction of the change they describe, so an
 * event exists exactly when its change does. Each append first flushes pending row changes (so row locks
 * are always taken before the log lock, never after: no deadlock), then takes a transaction-scoped
 * advisory lock, so event ids become visible in increasing order and "after id N" never misses one.
 */
@Component
public class EventLog {
    private static final long LOG_LOCK = 0x5049455245564eL; // "PIEREVN"

    private final JdbcTemplate jdbc;
    private final EntityManager entityManager;
    private final ObjectMapper json = Json.mapper();

    public EventLog(JdbcTemplate jdbc, EntityManager entityManager) {
        this.jdbc = jdbc;
        this.entityManager = entityManager;
    }

    public void append(String app, String objectType, Object objectId, Object data) {
        if (!TransactionSynchronizationManager.isActualTransactionActive()) {
            throw new IllegalStateException("events are appended inside the transaction of their change");
        }
        entityManager.flush();
        jdbc.queryForObject("SELECT pg_advisory_xact_lock(?)::text", String.class, LOG_LOCK);
        try {
            jdbc.update("INSERT INTO events (app, object_type, object_id, data, created_at) "
                            + "VALUES (?, ?, ?, ?::jsonb, ?)",
                    app, objectType, objectId == null ? null : objectId.toString(), json.writeValueAsString(data),
                    Timestamp.from(Now.instant()));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot encode event data", e);
        }
    }

    /** Events after {@code afterId}, oldest first, optionally of one app and some types. */
    public List<Event> after(long afterId, String app, Set<String> types, int limit) {
        StringBuilder sql = new StringBuilder(
                "SELECT id, app, object_type, object_id, data::text, created_at FROM events WHERE id > ?");
        List<Object> args = new ArrayList<>(List.of(afterId));
        filter(sql, args, app, types);
        sql.append(" ORDER BY id LIMIT ?");
        args.add(limit);
        return jdbc.query(sql.toString(), this::row, args.toArray());
    }

    /** The newest {@code limit} events, oldest first. */
    public List<Event> latest(String app, Set<String> types, int limit) {
        StringBuilder sql = new StringBuilder(
                "SELECT id, app, object_type, object_id, data::text, created_at FROM events WHERE TRUE");
        List<Object> args = new ArrayList<>();
        filter(sql, args, app, types);
        sql.append(" ORDER BY id DESC LIMIT ?");
        args.add(limit);
        List<Event> newestFirst = jdbc.query(sql.toString(), this::row, args.toArray());
        List<Event> result = new ArrayList<>(newestFirst);
        java.util.Collections.reverse(result);
        return result;
    }

    public long lastId() {
        Long id = jdbc.queryForObject("SELECT coalesce(max(id), 0) FROM events", Long.class);
        return id == null ? 0 : id;
    }

    private static void filter(StringBuilder sql, List<Object> args, String app, Set<String> types) {
        if (app != null) {
            sql.append(" AND app = ?");
            args.add(app);
        }
        if (types != null && !types.isEmpty()) {
            sql.append(" AND object_type = ANY (?)");
            args.add(types.toArray(String[]::new));
        }
    }

    private Event row(ResultSet rs, int n) throws SQLException {
        try {
            return new Event(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getString(4),
                    json.readTree(rs.getString(5)), rs.getTimestamp(6).toInstant());
        } catch (JsonProcessingException e) {
            throw new SQLException("event " + rs.getLong(1) + " has unreadable data", e);
        }
    }
}
