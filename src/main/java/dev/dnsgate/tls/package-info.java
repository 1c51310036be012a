/**
 * Which implementation does dnsgate's TLS, for the DoT/DoH listeners and the upstream connections
 * alike: BoringSSL (netty-tcnative) where its native library loads, the JDK's SSLEngine otherwise or
 * when configured. Certificates, protocols and verification are the same either way.
 */
package dev.dnsgate.tls;
