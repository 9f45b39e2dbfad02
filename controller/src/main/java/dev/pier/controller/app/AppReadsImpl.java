package dev.pier.controller.app;

import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import java.util.Optional;

/**
 * JPQL that Hibernate parses on first use and keeps in its query plan cache, rather than a repository
 * {@code @Query} that Spring Data would parse at start-up too (see {@code ReleaseReadsImpl}).
 */
class AppReadsImpl implements AppReads {
    private static final String LIVE = "select a from AppEntity a where a.name = :name and a.deletedAt is null";

    @PersistenceContext
    private EntityManager em;

    @Override
    public Optional<AppEntity> findLive(String name) {
        // a list, not a stream: the shared EntityManager, outside a transaction, closes when the list is read
        return em.createQuery(LIVE, AppEntity.class).setParameter("name", name).setMaxResults(1).getResultList()
                .stream().findFirst();
    }
}
