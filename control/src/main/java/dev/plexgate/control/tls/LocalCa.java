package dev.plexgate.control.tls;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.time.Period;
import java.util.Date;
import java.util.HexFormat;
import org.bouncycastle.asn1.ASN1OctetString;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.AuthorityKeyIdentifier;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;

/**
 * A certificate authority of one's own: its certificate is what cloudflared trusts
 * ({@code caPool}), its key signs plexgate's server certificate.
 *
 * @param certificate self-signed, a CA that may sign server certificates but no other CA
 * @param key         its private key
 */
public record LocalCa(X509Certificate certificate, PrivateKey key) {

    /** Long enough never to redo cloudflared's side; the server certificate is the one renewed. */
    static final Period VALIDITY = Period.ofYears(10);
    /** Of a server certificate: a year, renewed with {@code plexgate tls renew}. */
    static final Period SERVER_VALIDITY = Period.ofYears(1);

    /**
     * {@code plexgate local CA <host name>}, from {@code hostnameFile} ({@code /proc/sys/kernel/hostname}),
     * or with a random suffix when it cannot be read: tells the CAs of several machines apart.
     */
    public static String commonName(Path hostnameFile, SecureRandom random) {
        String host;
        try {
            host = Files.readString(hostnameFile, StandardCharsets.UTF_8).strip();
        } catch (IOException e) {
            host = "";
        }
        if (host.isEmpty()) {
            byte[] suffix = new byte[4];
            random.nextBytes(suffix);
            host = HexFormat.of().formatHex(suffix);
        }
        return "plexgate local CA " + host;
    }

    /** A new CA, {@code CN=<commonName>}, valid for {@link #VALIDITY} from {@code now}. */
    public static LocalCa create(String commonName, Instant now, SecureRandom random) {
        KeyPair keys = Certificates.newKeyPair(random);
        X500Name subject = Certificates.commonName(commonName);
        JcaX509ExtensionUtils extensions = Certificates.extensionUtils();
        try {
            JcaX509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(subject, Certificates.serial(random),
                    Certificates.notBefore(now), Date.from(Certificates.after(now, VALIDITY)), subject, keys.getPublic());
            // Path length 0: even if its key leaked, it could not make another CA, only leaf certificates.
            builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(0))
                    .addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign))
                    .addExtension(Extension.subjectKeyIdentifier, false,
                            extensions.createSubjectKeyIdentifier(keys.getPublic()));
            return new LocalCa(Certificates.sign(builder, keys.getPrivate()), keys.getPrivate());
        } catch (IOException e) {
            throw new IllegalStateException("cannot encode the CA's extensions", e);
        }
    }

    /**
     * A new key and server certificate for {@code names}, valid for {@link #SERVER_VALIDITY} from
     * {@code now} or until this CA expires, whichever comes first.
     *
     * @throws TlsRefusal when this CA has expired
     */
    public ServerCertificate issue(SubjectNames names, Instant now, SecureRandom random) throws TlsRefusal {
        Instant caExpiry = certificate.getNotAfter().toInstant();
        if (!caExpiry.isAfter(now)) {
            throw TlsRefusal.refused("the CA expired at " + caExpiry + ": make a new one with `plexgate tls init --force`"
                    + " and give cloudflared its new ca.pem");
        }
        Instant notAfter = Certificates.after(now, SERVER_VALIDITY);
        KeyPair keys = Certificates.newKeyPair(random);
        JcaX509ExtensionUtils extensions = Certificates.extensionUtils();
        try {
            JcaX509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(certificate,
                    Certificates.serial(random), Certificates.notBefore(now),
                    Date.from(notAfter.isBefore(caExpiry) ? notAfter : caExpiry),
                    Certificates.commonName(names.primary()), keys.getPublic());
            builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(false))
                    .addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature))
                    .addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(KeyPurposeId.id_kp_serverAuth))
                    .addExtension(Extension.subjectAlternativeName, false, names.generalNames())
                    .addExtension(Extension.authorityKeyIdentifier, false, authorityKeyIdentifier(extensions))
                    .addExtension(Extension.subjectKeyIdentifier, false,
                            extensions.createSubjectKeyIdentifier(keys.getPublic()));
            return new ServerCertificate(Certificates.sign(builder, key), keys.getPrivate());
        } catch (IOException e) {
            throw new IllegalStateException("cannot encode the server certificate's extensions", e);
        }
    }

    /** SHA-256 of the certificate, as {@code openssl x509 -fingerprint -sha256} prints it: {@code AB:CD:…}. */
    public String fingerprint() {
        try {
            return HexFormat.ofDelimiter(":").withUpperCase()
                    .formatHex(MessageDigest.getInstance("SHA-256").digest(certificate.getEncoded()));
        } catch (NoSuchAlgorithmException | CertificateEncodingException e) {
            throw new IllegalStateException("cannot hash the CA certificate", e);
        }
    }

    /** The CA's own key identifier, so that chains built by key id find it; computed for a CA without one. */
    private AuthorityKeyIdentifier authorityKeyIdentifier(JcaX509ExtensionUtils extensions)
            throws IOException {
        byte[] subjectKeyId = certificate.getExtensionValue(Extension.subjectKeyIdentifier.getId());
        return subjectKeyId == null
                ? extensions.createAuthorityKeyIdentifier(certificate.getPublicKey())
                : new AuthorityKeyIdentifier(ASN1OctetString.getInstance(
                        JcaX509ExtensionUtils.parseExtensionValue(subjectKeyId)).getOctets());
    }
}
