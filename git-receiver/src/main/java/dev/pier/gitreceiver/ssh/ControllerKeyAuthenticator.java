package dev.pier.gitreceiver.ssh;

import dev.pier.api.controller.ControllerClient;
import dev.pier.api.http.PierApiException;
import java.security.PublicKey;
import org.apache.sshd.common.AttributeRepository;
import org.apache.sshd.common.config.keys.KeyUtils;
import org.apache.sshd.common.digest.BuiltinDigests;
import org.apache.sshd.server.auth.pubkey.PublickeyAuthenticator;
import org.apache.sshd.server.session.ServerSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Public-key authentication against the controller's keys ({@code pier key add}): a key is let in when the
 * controller knows its SHA256 fingerprint. Asked on every connection, so a removed key is refused at once.
 * Any user name is accepted ({@code git@}, {@code root@}...); the key is what counts. When the controller cannot
 * answer, the key can be neither accepted nor refused: the session is let in marked {@link #UNCHECKED} with the
 * reason, and its command is refused with that reason (git then prints it, instead of a misleading
 * "Permission denied"); nothing of any repository is served to it.
 */
public final class ControllerKeyAuthenticator implements PublickeyAuthenticator {
    private static final Logger LOG = LoggerFactory.getLogger(ControllerKeyAuthenticator.class);
    /** The fingerprint of the key a session was let in with. */
    public static final AttributeRepository.AttributeKey<String> FINGERPRINT = new AttributeRepository.AttributeKey<>();
    /** Why the key of a session could not be checked (the controller did not answer); absent when it was. */
    public static final AttributeRepository.AttributeKey<String> UNCHECKED = new AttributeRepository.AttributeKey<>();

    private final ControllerClient controller;

    public ControllerKeyAuthenticator(ControllerClient controller) {
        this.controller = controller;
    }

    @Override
    public boolean authenticate(String username, PublicKey key, ServerSession session) {
        String fingerprint = KeyUtils.getFingerPrint(BuiltinDigests.sha256, key);
        try {
            controller.key(fingerprint);
            session.setAttribute(FINGERPRINT, fingerprint);
            return true;
        } catch (PierApiException e) {
            if (e.isNotFound()) {
                LOG.info("event=key_refused fingerprint={} address={}", fingerprint, session.getClientAddress());
                return false;
            }
            if (e.status() >= 400 && e.status() < 500) {
                LOG.warn("event=key_check_failed fingerprint={} error=\"{}\"", fingerprint, e.getMessage());
                return false;
            }
            LOG.warn("event=key_check_failed fingerprint={} action=refuse_command error=\"{}\"", fingerprint,
                    e.getMessage());
            session.setAttribute(UNCHECKED, "the controller at " + controller.base() + " cannot be reached ("
                    + e.getMessage() + "), so your key cannot be checked; try again once it is back");
            return true;
        }
    }
}
