package dev.pier.controller.job;

import java.util.Collection;
import java.util.List;
import java.util.UUID;
import org.springframework.data.jpa.repository.JpaRepository;
import org.springframework.data.jpa.repository.Query;

public interface JobRepository extends JpaRepository<JobEntity, String> {
    @Query(nativeQuery = true, value = "select * from jobs where app_id = :appId order by created_at desc")
    List<JobEntity> findByApp(UUID appId);

    @Query(nativeQuery = true,
            value = "select * from jobs where app_id = :appId and state in :states order by created_at desc")
    List<JobEntity> findByAppInStates(UUID appId, Collection<String> states);

    @Query(nativeQuery = true, value = "select * from jobs where state in :states order by created_at desc")
    List<JobEntity> findInStates(Collection<String> states);
}
