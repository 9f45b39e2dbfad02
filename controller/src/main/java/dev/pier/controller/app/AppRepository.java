package dev.pier.controller.app;

import jakarta.persistence.LockModeType;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.springframework.data.jpa.repository.JpaRepository;
import org.springframework.data.jpa.repository.Lock;
import org.springframework.data.jpa.repository.Query;

public interface AppRepository extends JpaRepository<AppEntity, UUID> {
    @Query("select a from AppEntity a where a.name = :name and a.deletedAt is null")
    Optional<AppEntity> findLive(String name);

    /** The live app, row-locked until the transaction ends: serialises releases, deploys and deletion. */
    @Lock(LockModeType.PESSIMISTIC_WRITE)
    @Query("select a from AppEntity a where a.name = :name and a.deletedAt is null")
    Optional<AppEntity> lockLive(String name);

    @Query("select a from AppEntity a where a.deletedAt is null order by a.name")
    List<AppEntity> findAllLive();

    @Query("select a.name from AppEntity a where a.id = :id")
    Optional<String> nameOf(UUID id);
}
