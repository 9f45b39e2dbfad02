package dev.pier.controller.key;

import dev.pier.api.NewKey;
import dev.pier.api.SshKey;
import java.util.List;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

/** Keys are addressed by fingerprint, in OpenSSH's form or its URL-safe twin (the key's {@code id}). */
@RestController
public class KeyController {
    private final KeyService keys;

    public KeyController(KeyService keys) {
        this.keys = keys;
    }

    @PostMapping("/keys")
    @ResponseStatus(HttpStatus.CREATED)
    public SshKey addKey(@RequestBody NewKey request) {
        return keys.add(request);
    }

    @GetMapping("/keys")
    public List<SshKey> listKeys() {
        return keys.list();
    }

    @GetMapping("/keys/{fingerprint}")
    public SshKey getKey(@PathVariable String fingerprint) {
        return keys.get(fingerprint);
    }

    @DeleteMapping("/keys/{fingerprint}")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    public void removeKey(@PathVariable String fingerprint) {
        keys.remove(fingerprint);
    }
}
