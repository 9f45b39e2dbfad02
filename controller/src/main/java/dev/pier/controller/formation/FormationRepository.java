package dev.pier.controller.formation;

import java.util.List;
import java.util.UUID;
import org.springframework.data.jpa.repository.JpaRepository;
import org.springframework.data.jpa.repository.Query;

public interface FormationRepository extends JpaRepository<FormationEntity, FormationEntity.Key> {
    @Query("select f from FormationEntity f where f.key.appId = :appId order by f.createdAt")
    List<FormationEntity> findByApp(UUID appId);

    @Query("select f from FormationEntity f, dev.pier.controller.app.AppEntity a "
            + "where a.id = f.key.appId and a.deletedAt is null order by a.name, f.createdAt")
    List<FormationEntity> findAllLive();
}
