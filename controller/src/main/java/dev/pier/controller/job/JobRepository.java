package dev.pier.controller.job;

import java.util.Collection;
import java.util.List;
import java.util.UUID;
import org.springframework.data.jpa.repository.JpaRepository;
import org.springframework.data.jpa.repository.Query;

public interface JobRepository extends JpaRepository<JobEntity, String> {
    @Query("select j from JobEntity j where j.appId = :appId order by j.createdAt desc")
    List<JobEntity> findByApp(UUID appId);

    @Query("select j from JobEntity j where j.appId = :appId and j.state in :states order by j.createdAt desc")
    List<JobEntity> findByAppInStates(UUID appId, Collection<String> states);

    @Query("select j from JobEntity j where j.state in :states order by j.createdAt desc")
    List<JobEntity> findInStates(Collection<String> states);
}
