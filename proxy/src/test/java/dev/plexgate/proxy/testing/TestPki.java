package dev.plexgate.proxy.testing;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.Principal;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.HexFormat;
import java.util.List;
import javax.net.ssl.KeyManager;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedKeyManager;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.bouncycastle.openssl.PKCS8Generator;
import org.bouncycastle.openssl.PEMEncryptor;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.openssl.jcajce.JceOpenSSLPKCS8EncryptorBuilder;
import org.bouncycastle.openssl.jcajce.JcePEMEncryptorBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.util.io.pem.PemHeader;
import org.bouncycastle.util.io.pem.PemObject;

/**
 * Certificates for TLS tests, made with BouncyCastle: a CA, and server or client certificates it
 * issues, with keys written in every PEM format plexgate reads. Nothing here touches the network.
 */
public final class TestPki {

    /** The PEM forms a private key is written in. */
    public enum KeyFormat {
        /** {@code BEGIN PRIVATE KEY} */
        PKCS8,
        /** {@code BEGIN RSA PRIVATE KEY} or {@code BEGIN EC PRIVATE KEY}: PKCS#1 or SEC1 */
        TRADITIONAL,
        /** {@code BEGIN ENCRYPTED PRIVATE KEY}, PBES2 with AES-256-CBC */
        ENCRYPTED_PKCS8,
        /** {@code BEGIN RSA|EC PRIVATE KEY} with {@code Proc-Type: 4,ENCRYPTED}, as old OpenSSL wrote */
        LEGACY_ENCRYPTED
    }

    /** A certificate and its key. */
    public record Issued(X509Certificate certificate, PrivateKey key) {
    }

    private static final SecureRandom RANDOM = new SecureRandom();

    private final Issued ca;

    private TestPki(Issued ca) {
        this.ca = ca;
    }

    /** A new CA with an EC P-256 key, valid from an hour ago for ten years. */
    public static TestPki create(String name) {
        KeyPair pair = ecKeyPair();
        X500Name subject = new X500Name("CN=" + name);
        Instant now = Instant.now();
        X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(subject, serial(),
                Date.from(now.minus(Duration.ofHours(1))), Date.from(now.plus(Duration.ofDays(3650))), subject,
                pair.getPublic());
        try {
            builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(0));
            builder.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new TestPki(new Issued(sign(builder, pair.getPrivate()), pair.getPrivate()));
    }

    public X509Certificate caCertificate() {
        return ca.certificate();
    }

    /** A server certificate for {@code names} (DNS names or IP literals), valid from an hour ago for a year. */
    public Issued server(String... names) {
        return issue(ecKeyPair(), names[0], List.of(names), KeyPurposeId.id_kp_serverAuth,
                Instant.now().minus(Duration.ofHours(1)), Instant.now().plus(Duration.ofDays(365)));
    }

    /** A server certificate with an RSA key of {@code bits}. */
    public Issued rsaServer(int bits, String... names) {
        return issue(rsaKeyPair(bits), names[0], List.of(names), KeyPurposeId.id_kp_serverAuth,
                Instant.now().minus(Duration.ofHours(1)), Instant.now().plus(Duration.ofDays(365)));
    }

    /** A server certificate valid only between {@code notBefore} and {@code notAfter}. */
    public Issued server(Instant notBefore, Instant notAfter, String... names) {
        return issue(ecKeyPair(), names[0], List.of(names), KeyPurposeId.id_kp_serverAuth, notBefore, notAfter);
    }

    /** A client certificate with {@code commonName}. */
    public Issued client(String commonName) {
        return issue(ecKeyPair(), commonName, List.of(), KeyPurposeId.id_kp_clientAuth,
                Instant.now().minus(Duration.ofHours(1)), Instant.now().plus(Duration.ofDays(365)));
    }

    private Issued issue(KeyPair pair, String commonName, List<String> names, KeyPurposeId purpose,
            Instant notBefore, Instant notAfter) {
        X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(ca.certificate(), serial(),
                Date.from(notBefore), Date.from(notAfter), new X500Name("CN=" + commonName), pair.getPublic());
        try {
            builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
            builder.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(purpose));
            if (!names.isEmpty()) {
                List<GeneralName> alternatives = new ArrayList<>();
                for (String name : names) {
                    alternatives.add(name.matches("[0-9.]+") || name.contains(":")
                            ? new GeneralName(GeneralName.iPAddress, name)
                            : new GeneralName(GeneralName.dNSName, name));
                }
                builder.addExtension(Extension.subjectAlternativeName, false,
                        new GeneralNames(alternatives.toArray(GeneralName[]::new)));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new Issued(sign(builder, ca.key()), pair.getPrivate());
    }

    /** Writes {@code certificates} as PEM to {@code file}. */
    public static Path writeCertificates(Path file, X509Certificate... certificates) {
        StringWriter text = new StringWriter();
        try (JcaPEMWriter writer = new JcaPEMWriter(text)) {
            for (X509Certificate certificate : certificates) {
                writer.writeObject(certificate);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return write(file, text.toString());
    }

    /** Writes {@code key} as PEM in {@code format}; {@code password} is used by the encrypted formats. */
    public static Path writeKey(Path file, PrivateKey key, KeyFormat format, String password) {
        StringWriter text = new StringWriter();
        try (JcaPEMWriter writer = new JcaPEMWriter(text)) {
            switch (format) {
                case PKCS8 -> writer.writeObject(new JcaPKCS8Generator(key, null));
                case TRADITIONAL -> writer.writeObject(traditional(key, null));
                case ENCRYPTED_PKCS8 -> writer.writeObject(new JcaPKCS8Generator(key,
                        new JceOpenSSLPKCS8EncryptorBuilder(PKCS8Generator.AES_256_CBC)
                                .setProvider(new BouncyCastleProvider())
                                .setPassword(password.toCharArray())
                                .build()));
                case LEGACY_ENCRYPTED -> writer.writeObject(traditional(key, new JcePEMEncryptorBuilder("AES-128-CBC")
                        .setProvider(new BouncyCastleProvider())
                        .build(password.toCharArray())));
            }
        } catch (IOException | OperatorCreationException e) {
            throw new IllegalStateException(e);
        }
        return write(file, text.toString());
    }

    /**
     * PKCS#1 or SEC1 as OpenSSL writes them: a SEC1 key names its curve inside (BouncyCastle's own
     * writer leaves it out, which no tool reads back), optionally encrypted the old OpenSSL way.
     */
    private static PemObject traditional(PrivateKey key, PEMEncryptor encryptor) throws IOException {
        PrivateKeyInfo info = PrivateKeyInfo.getInstance(key.getEncoded());
        String type;
        byte[] der;
        if (key.getAlgorithm().equals("RSA")) {
            type = "RSA PRIVATE KEY";
            der = info.parsePrivateKey().toASN1Primitive().getEncoded();
        } else {
            type = "EC PRIVATE KEY";
            org.bouncycastle.asn1.sec.ECPrivateKey inner = org.bouncycastle.asn1.sec.ECPrivateKey.getInstance(
                    info.parsePrivateKey());
            der = new org.bouncycastle.asn1.sec.ECPrivateKey(256, inner.getKey(), inner.getPublicKey(),
                    info.getPrivateKeyAlgorithm().getParameters()).getEncoded();
        }
        if (encryptor == null) {
            return new PemObject(type, der);
        }
        return new PemObject(type, List.of(new PemHeader("Proc-Type", "4,ENCRYPTED"),
                new PemHeader("DEK-Info", encryptor.getAlgorithm() + "," + HexFormat.of().withUpperCase()
                        .formatHex(encryptor.getIV()))), encryptor.encrypt(der));
    }

    /** A JDK client context that trusts this CA and, when {@code identity} is not null, presents it. */
    public SSLContext clientContext(Issued identity) {
        return clientContext(ca.certificate(), identity);
    }

    /** A JDK client context that trusts {@code ca} only, such as the CA `plexgate tls init` wrote. */
    public static SSLContext trusting(X509Certificate ca) {
        return clientContext(ca, null);
    }

    private static SSLContext clientContext(X509Certificate trusted, Issued identity) {
        try {
            KeyStore trust = KeyStore.getInstance("PKCS12");
            trust.load(null, null);
            trust.setCertificateEntry("ca", trusted);
            TrustManagerFactory trustManagers = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            trustManagers.init(trust);
            KeyManager[] keyManagers = null;
            if (identity != null) {
                KeyStore keys = KeyStore.getInstance("PKCS12");
                keys.load(null, null);
                keys.setKeyEntry("client", identity.key(), new char[0], new X509Certificate[] {identity.certificate()});
                KeyManagerFactory factory = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
                factory.init(keys, new char[0]);
                keyManagers = new KeyManager[] {new AlwaysPresent((X509ExtendedKeyManager) factory.getKeyManagers()[0])};
            }
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(keyManagers, trustManagers.getTrustManagers(), RANDOM);
            return context;
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Presents the client certificate whatever CAs the server asks for, as a misconfigured or
     * hostile client would: the JDK's own key manager would silently send none.
     */
    private static final class AlwaysPresent extends X509ExtendedKeyManager {
        private final X509ExtendedKeyManager keys;

        AlwaysPresent(X509ExtendedKeyManager keys) {
            this.keys = keys;
        }

        @Override
        public String chooseClientAlias(String[] keyType, Principal[] issuers, Socket socket) {
            return "client";
        }

        @Override
        public String chooseEngineClientAlias(String[] keyType, Principal[] issuers, SSLEngine engine) {
            return "client";
        }

        @Override
        public String[] getClientAliases(String keyType, Principal[] issuers) {
            return new String[] {"client"};
        }

        @Override
        public String[] getServerAliases(String keyType, Principal[] issuers) {
            return null;
        }

        @Override
        public String chooseServerAlias(String keyType, Principal[] issuers, Socket socket) {
            return null;
        }

        @Override
        public X509Certificate[] getCertificateChain(String alias) {
            return keys.getCertificateChain(alias);
        }

        @Override
        public PrivateKey getPrivateKey(String alias) {
            return keys.getPrivateKey(alias);
        }
    }

    private static Path write(Path file, String text) {
        try {
            return Files.writeString(file, text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static X509Certificate sign(X509v3CertificateBuilder builder, PrivateKey signer) {
        try {
            String algorithm = signer.getAlgorithm().equals("RSA") ? "SHA256withRSA" : "SHA256withECDSA";
            return new JcaX509CertificateConverter().getCertificate(
                    builder.build(new JcaContentSignerBuilder(algorithm).build(signer)));
        } catch (GeneralSecurityException | OperatorCreationException e) {
            throw new IllegalStateException(e);
        }
    }

    private static BigInteger serial() {
        return new BigInteger(96, RANDOM).add(BigInteger.ONE);
    }

    private static KeyPair ecKeyPair() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
            generator.initialize(new ECGenParameterSpec("secp256r1"));
            return generator.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static KeyPair rsaKeyPair(int bits) {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(bits);
            return generator.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
