package dev.pier.controller.release;

import jakarta.persistence.QueryHint;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.springframework.data.domain.Pageable;
import org.springframework.data.jpa.repository.JpaRepository;
import org.hibernate.jpa.HibernateHints;
import org.springframework.data.jpa.repository.Query;
import org.springframework.data.jpa.repository.QueryHints;

public interface ReleaseRepository extends JpaRepository<ReleaseEntity, UUID> {
    /**
     * An app's releases by its name, newest first, in one query: empty when the app has no release or does not
     * exist. Read-only entities: Hibernate keeps no snapshot of them (for the jsonb columns, a copy through JSON).
     */
    @QueryHints(@QueryHint(name = HibernateHints.HINT_READ_ONLY, value = "true"))
    @Query("select r from ReleaseEntity r, AppEntity a where a.id = r.appId and a.name = :appName"
            + " and a.deletedAt is null order by r.version desc")
    List<ReleaseEntity> findByLiveAppNameNewestFirst(String appName, Pageable page);

    @Query("select coalesce(max(r.version), 0) from ReleaseEntity r where r.appId = :appId")
    int maxVersion(UUID appId);

    @Query("select r from ReleaseEntity r where r.appId = :appId and r.id = :id")
    Optional<ReleaseEntity> findOfApp(UUID appId, UUID id);

    @Query("select r from ReleaseEntity r where r.appId = :appId and r.version = :version")
    Optional<ReleaseEntity> findByVersion(UUID appId, int version);
}
