package dev.pier.controller.key;

import org.springframework.data.jpa.repository.JpaRepository;

public interface SshKeyRepository extends JpaRepository<SshKeyEntity, String> {
}
