package dev.pier.controller.app;

import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.springframework.data.jpa.repository.JpaRepository;
import org.springframework.data.jpa.repository.Query;

/** Apps; native SQL except the hot look-up in {@link AppReads} (docs/controller.md, "Queries"). */
public interface AppRepository extends JpaRepository<AppEntity, UUID>, AppReads {
    /** The live app, row-locked until the transaction ends: serialises releases, deploys and deletion. */
    @Query(nativeQuery = true, value = "select * from apps where name = :name and deleted_at is null for update")
    Optional<AppEntity> lockLive(String name);

    @Query(nativeQuery = true, value = "select * from apps where deleted_at is null order by name")
    List<AppEntity> findAllLive();

    @Query(nativeQuery = true, value = "select name from apps where id = :id")
    Optional<String> nameOf(UUID id);
}
