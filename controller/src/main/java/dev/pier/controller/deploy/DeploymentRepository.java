package dev.pier.controller.deploy;

import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.springframework.data.jpa.repository.JpaRepository;
import org.springframework.data.jpa.repository.Query;

public interface DeploymentRepository extends JpaRepository<DeploymentEntity, UUID> {
    @Query(nativeQuery = true, value = "select * from deployments where app_id = :appId order by created_at desc")
    List<DeploymentEntity> findByApp(UUID appId);

    @Query(nativeQuery = true, value = "select * from deployments where status in ('pending', 'running') order by created_at")
    List<DeploymentEntity> findAllActive();

    @Query(nativeQuery = true,
            value = "select * from deployments where app_id = :appId and status in ('pending', 'running')")
    Optional<DeploymentEntity> findActive(UUID appId);
}
