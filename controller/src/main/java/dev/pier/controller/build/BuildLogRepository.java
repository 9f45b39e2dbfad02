package dev.pier.controller.build;

import java.util.UUID;
import org.springframework.data.jpa.repository.JpaRepository;

public interface BuildLogRepository extends JpaRepository<BuildLogEntity, UUID> {
}
