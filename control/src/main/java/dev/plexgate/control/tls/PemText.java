package dev.plexgate.control.tls;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;

/** Certificates and keys as the PEM text of the files written: what plexgate, cloudflared and openssl read. */
final class PemText {

    private PemText() {
    }

    /** {@code -----BEGIN CERTIFICATE-----} blocks in the order given: a chain is leaf first. */
    static byte[] certificates(X509Certificate... certificates) {
        return pem(writer -> {
            for (X509Certificate certificate : certificates) {
                writer.writeObject(certificate);
            }
        });
    }

    /**
     * One unencrypted PKCS#8 {@code -----BEGIN PRIVATE KEY-----} block. Written through the PKCS#8
     * generator because the PEM writer alone would write an EC key in SEC1 form.
     */
    static byte[] privateKey(PrivateKey key) {
        return pem(writer -> writer.writeObject(new JcaPKCS8Generator(key, null)));
    }

    private interface PemContent {
        void writeTo(JcaPEMWriter writer) throws IOException;
    }

    private static byte[] pem(PemContent content) {
        StringWriter text = new StringWriter();
        try (JcaPEMWriter writer = new JcaPEMWriter(text)) {
            content.writeTo(writer);
        } catch (IOException e) {
            // Only encoding can fail, writing to memory cannot.
            throw new UncheckedIOException("cannot encode as PEM", e);
        }
        return text.toString().getBytes(StandardCharsets.US_ASCII);
    }
}
