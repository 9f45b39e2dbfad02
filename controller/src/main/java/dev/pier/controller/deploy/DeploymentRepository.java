package dev.pier.controller.deploy;

import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.springframework.data.jpa.repository.JpaRepository;
import org.springframework.data.jpa.repository.Query;

public interface DeploymentRepository extends JpaRepository<DeploymentEntity, UUID> {
    @Query("select d from DeploymentEntity d where d.appId = :appId order by d.createdAt desc")
    List<DeploymentEntity> findByApp(UUID appId);

    @Query("select d from DeploymentEntity d where d.status in ('pending', 'running') order by d.createdAt")
    List<DeploymentEntity> findAllActive();

    @Query("select d from DeploymentEntity d where d.appId = :appId and d.status in ('pending', 'running')")
    Optional<DeploymentEntity> findActive(UUID appId);
}
