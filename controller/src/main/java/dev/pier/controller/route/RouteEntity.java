package dev.pier.controller.route;

import dev.pier.api.Route;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.UUID;

@Entity
@Table(name = "routes")
public class RouteEntity {
    @Id
    private UUID id;
    @Column(name = "app_id")
    private UUID appId;
    private String domain;
    private String service;
    @Column(name = "tls_cert")
    private String tlsCert;
    @Column(name = "tls_key")
    private String tlsKey;
    @Column(name = "created_at")
    private Instant createdAt;

    protected RouteEntity() {
    }

    public RouteEntity(UUID appId, String domain, String service, String tlsCert, String tlsKey, Instant now) {
        this.id = UUID.randomUUID();
        this.appId = appId;
        this.domain = domain;
        this.service = service;
        this.tlsCert = tlsCert;
        this.tlsKey = tlsKey;
        this.createdAt = now;
    }

    /** The route; its private key only when {@code withKey} (the router's cluster-wide listing). */
    public Route toRecord(String appName, boolean withKey) {
        return new Route(id, appName, domain, service, tlsCert, withKey ? tlsKey : null, createdAt);
    }

    public UUID id() {
        return id;
    }

    public UUID appId() {
        return appId;
    }

    public String domain() {
        return domain;
    }
}
