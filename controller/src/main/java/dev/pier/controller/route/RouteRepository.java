package dev.pier.controller.route;

import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.springframework.data.jpa.repository.JpaRepository;
import org.springframework.data.jpa.repository.Query;

public interface RouteRepository extends JpaRepository<RouteEntity, UUID> {
    @Query("select r from RouteEntity r where r.appId = :appId order by r.createdAt")
    List<RouteEntity> findByApp(UUID appId);

    Optional<RouteEntity> findByDomain(String domain);

    boolean existsByDomain(String domain);
}
