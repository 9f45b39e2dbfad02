package dev.pier.controller.route;

import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.springframework.data.jpa.repository.JpaRepository;
import org.springframework.data.jpa.repository.Query;

public interface RouteRepository extends JpaRepository<RouteEntity, UUID> {
    @Query(nativeQuery = true, value = "select * from routes where app_id = :appId order by created_at")
    List<RouteEntity> findByApp(UUID appId);

    Optional<RouteEntity> findByDomain(String domain);

    boolean existsByDomain(String domain);
}
