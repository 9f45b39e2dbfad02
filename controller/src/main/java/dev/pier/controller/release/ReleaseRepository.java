package dev.pier.controller.release;

import java.util.Optional;
import java.util.UUID;
import org.springframework.data.jpa.repository.JpaRepository;
import org.springframework.data.jpa.repository.Query;

/** Releases; native SQL except the hot read in {@link ReleaseReads} (docs/controller.md, "Queries"). */
public interface ReleaseRepository extends JpaRepository<ReleaseEntity, UUID>, ReleaseReads {
    @Query(nativeQuery = true, value = "select coalesce(max(version), 0) from releases where app_id = :appId")
    int maxVersion(UUID appId);

    @Query(nativeQuery = true, value = "select * from releases where app_id = :appId and id = :id")
    Optional<ReleaseEntity> findOfApp(UUID appId, UUID id);

    @Query(nativeQuery = true, value = "select * from releases where app_id = :appId and version = :version")
    Optional<ReleaseEntity> findByVersion(UUID appId, int version);
}
