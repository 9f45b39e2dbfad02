package dev.pier.controller.release;

import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import java.util.List;
import org.hibernate.jpa.HibernateHints;

/**
 * JPQL that Hibernate parses on first use and keeps in its query plan cache. Declared as a repository
 * {@code @Query}, Spring Data would parse it at start-up with its own HQL grammar as well as Hibernate's;
 * the repositories' other queries are native SQL for that reason (docs/controller.md, "Queries"). As native
 * SQL, this one would cost a third more CPU per request: Hibernate maps a native result set to entities again on
 * every execution.
 */
class ReleaseReadsImpl implements ReleaseReads {
    private static final String NEWEST_FIRST = "select r from ReleaseEntity r, AppEntity a where a.id = r.appId"
            + " and a.name = :appName and a.deletedAt is null order by r.version desc";

    @PersistenceContext
    private EntityManager em;

    @Override
    public List<ReleaseEntity> findByLiveAppNameNewestFirst(String appName, int limit) {
        // read-only: Hibernate keeps no snapshot of them (for the jsonb columns, a copy through JSON)
        return em.createQuery(NEWEST_FIRST, ReleaseEntity.class).setParameter("appName", appName)
                .setMaxResults(limit).setHint(HibernateHints.HINT_READ_ONLY, true).getResultList();
    }
}
