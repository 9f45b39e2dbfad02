package dev.pier.controller.build;

import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.springframework.data.jpa.repository.JpaRepository;
import org.springframework.data.jpa.repository.Query;

public interface BuildRepository extends JpaRepository<BuildEntity, UUID> {
    @Query(nativeQuery = true, value = "select * from builds where app_id = :appId order by created_at desc limit :limit")
    List<BuildEntity> findByApp(UUID appId, int limit);

    @Query(nativeQuery = true, value = "select * from builds where app_id = :appId and state in ('pending', 'building')")
    Optional<BuildEntity> findActive(UUID appId);

    @Query(nativeQuery = true, value = "select * from builds where state in ('pending', 'building') order by created_at")
    List<BuildEntity> findAllActive();
}
