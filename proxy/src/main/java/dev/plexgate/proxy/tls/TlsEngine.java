package dev.plexgate.proxy.tls;

import io.netty.handler.ssl.OpenSsl;
import io.netty.handler.ssl.SslProvider;
import java.util.List;

/**
 * Which TLS implementation serves: BoringSSL through netty-tcnative when its native library
 * loads (it is bundled for linux x86_64 and aarch64), the JDK's otherwise. Both are limited to
 * TLS 1.2 and 1.3 with forward-secret AEAD suites.
 */
public final class TlsEngine {

    /** TLS 1.3's suites, then TLS 1.2's ECDHE + AES-GCM/ChaCha20 ones; nothing without forward secrecy. */
    static final List<String> CIPHER_SUITES = List.of(
            "TLS_AES_128_GCM_SHA256",
            "TLS_AES_256_GCM_SHA384",
            "TLS_CHACHA20_POLY1305_SHA256",
            "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256",
            "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256",
            "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384",
            "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384",
            "TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256",
            "TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256");

    static final String[] PROTOCOLS = {"TLSv1.3", "TLSv1.2"};

    private TlsEngine() {
    }

    static SslProvider provider() {
        return OpenSsl.isAvailable() ? SslProvider.OPENSSL : SslProvider.JDK;
    }

    /** For the startup line: {@code openssl (BoringSSL ...)} or {@code jdk}. */
    public static String describe() {
        return OpenSsl.isAvailable() ? "openssl (" + OpenSsl.versionString() + ")" : "jdk";
    }
}
