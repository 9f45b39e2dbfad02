package dev.pier.controller.key;

import dev.pier.controller.support.Now;
import dev.pier.api.EventTypes;
import dev.pier.api.NewKey;
import dev.pier.api.SshKey;
import dev.pier.api.SshPublicKey;
import dev.pier.controller.event.EventLog;
import dev.pier.controller.support.Input;
import dev.pier.web.ApiProblem;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/** SSH public keys allowed to push, identified by their SHA256 fingerprint. */
@Service
public class KeyService {
    private final SshKeyRepository keys;
    private final EventLog events;

    public KeyService(SshKeyRepository keys, EventLog events) {
        this.keys = keys;
        this.events = events;
    }

    @Transactional
    public SshKey add(NewKey request) {
        Input.required("body", request);
        SshPublicKey parsed;
        try {
            parsed = SshPublicKey.parse(Input.required("key", request.key()));
        } catch (SshPublicKey.InvalidKeyException e) {
            throw ApiProblem.badRequest("key", e.getMessage());
        }
        if (keys.existsById(parsed.fingerprint())) {
            throw ApiProblem.conflict("key", "key " + parsed.fingerprint() + " is already added");
        }
        SshKeyEntity key = keys.saveAndFlush(new SshKeyEntity(parsed, Now.instant()));
        SshKey record = key.toRecord();
        events.append(null, EventTypes.KEY, key.fingerprint(), record);
        return record;
    }

    @Transactional(readOnly = true)
    public List<SshKey> list() {
        return keys.findAll().stream().sorted(Comparator.comparing(SshKeyEntity::fingerprint))
                .map(SshKeyEntity::toRecord).toList();
    }

    @Transactional(readOnly = true)
    public SshKey get(String fingerprint) {
        return find(fingerprint).toRecord();
    }

    @Transactional
    public void remove(String fingerprint) {
        SshKeyEntity key = find(fingerprint);
        keys.delete(key);
        events.append(null, EventTypes.KEY_DELETION, key.fingerprint(), key.toRecord());
    }

    private SshKeyEntity find(String fingerprint) {
        if (fingerprint == null || fingerprint.length() > 200) {
            throw ApiProblem.badRequest("fingerprint", "fingerprint is invalid");
        }
        String canonical = SshPublicKey.canonicalFingerprint(fingerprint);
        return keys.findById(canonical)
                .orElseThrow(() -> ApiProblem.notFound("no key with fingerprint " + canonical));
    }
}
