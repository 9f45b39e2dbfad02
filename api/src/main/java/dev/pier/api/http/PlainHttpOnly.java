package dev.pier.api.http;

import java.net.http.HttpClient;
import java.security.KeyManagementException;
import java.security.SecureRandom;
import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLContextSpi;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLServerSocketFactory;
import javax.net.ssl.SSLSessionContext;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManager;

/**
 * The TLS settings of an {@link HttpClient} that only ever speaks plain http://. A client built without them makes
 * the JDK's default TLS context (reading its CA certificates) and even a context of its own initialises the TLS
 * provider, its ciphers and a secure random source: about 0.1 to 0.2 s of a CLI command's life, for nothing. This
 * context is never initialised and refuses every use, so a TLS connection can never happen by mistake.
 */
final class PlainHttpOnly {
    private static final SSLContext NO_TLS = new SSLContext(new Refusing(), null, "none") { };

    private PlainHttpOnly() {
    }

    /** Gives {@code builder} a TLS context that is never used, and parameters so none is asked of it. */
    static HttpClient.Builder withoutTls(HttpClient.Builder builder) {
        return builder.sslContext(NO_TLS).sslParameters(new SSLParameters());
    }

    private static final class Refusing extends SSLContextSpi {
        private static final String REFUSAL = "this client speaks plain http:// only";

        private static UnsupportedOperationException refused() {
            return new UnsupportedOperationException(REFUSAL);
        }

        @Override
        protected void engineInit(KeyManager[] km, TrustManager[] tm, SecureRandom random) throws KeyManagementException {
            throw new KeyManagementException(REFUSAL);
        }

        @Override
        protected SSLSocketFactory engineGetSocketFactory() {
            throw refused();
        }

        @Override
        protected SSLServerSocketFactory engineGetServerSocketFactory() {
            throw refused();
        }

        @Override
        protected SSLEngine engineCreateSSLEngine() {
            throw refused();
        }

        @Override
        protected SSLEngine engineCreateSSLEngine(String host, int port) {
            throw refused();
        }

        @Override
        protected SSLSessionContext engineGetServerSessionContext() {
            throw refused();
        }

        @Override
        protected SSLSessionContext engineGetClientSessionContext() {
            throw refused();
        }
    }
}
