package dev.pier.controller.formation;

import java.util.List;
import java.util.UUID;
import org.springframework.data.jpa.repository.JpaRepository;
import org.springframework.data.jpa.repository.Query;

public interface FormationRepository extends JpaRepository<FormationEntity, FormationEntity.Key> {
    @Query(nativeQuery = true, value = "select * from formations where app_id = :appId order by created_at")
    List<FormationEntity> findByApp(UUID appId);

    @Query(nativeQuery = true, value = "select f.* from formations f join apps a on a.id = f.app_id"
            + " where a.deleted_at is null order by a.name, f.created_at")
    List<FormationEntity> findAllLive();
}
