package dev.dnsgate.config;

import dev.dnsgate.tls.TlsProvider;
import io.smallrye.config.ConfigMapping;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * All dnsgate settings, under the {@code dnsgate.} prefix. Defaults live in application.yaml so that
 * one file shows them all; every key is listed in the README table.
 */
@ConfigMapping(prefix = "dnsgate")
public interface DnsgateConfig {

  Listen listen();

  Upstream upstream();

  Rules rules();

  Cache cache();

  Access access();

  QueryLog queryLog();

  WarmUp warmUp();

  Admin admin();

  Dnssec dnssec();

  /** DNSSEC validation of upstream answers (dev.dnsgate.dnssec). */
  interface Dnssec {
    /** Validate upstream answers: AD for secure ones, SERVFAIL with EDE for bogus ones. Recommended. */
    boolean validate();

    /** A file of DS or DNSKEY records in zone-file syntax: trust anchors for private signed zones. */
    Optional<String> anchorFile();

    /** add: the file's anchors join the built-in root KSKs; replace: only the file's anchors are used. */
    AnchorMode anchorMode();

    /** Names at and below which nothing is validated (unbound's domain-insecure). */
    Optional<List<String>> negativeAnchors();

    /** Upstream groups whose answers are not validated (company resolvers for internal zones). */
    Optional<List<String>> skipGroups();

    /** Most RRSIGs over one RRset, and DNSKEYs sharing one key tag, an answer may carry (KeyTrap, CVE-2023-50387). */
    int maxSignatureChecks();

    /** Most DS-to-DNSKEY match failures tolerated per key set (KeyTrap, CVE-2023-50868). */
    int maxDsMatchFailures();

    /** Most DNSKEY/DS/other lookups one validation may make upstream (deep or looping chains). */
    int maxLookups();

    /** Threads that verify signatures, so that CPU-heavy validation never runs on an event loop. */
    int threads();

    /** How long validated DNSKEY sets are kept by the validator's key cache, at most. */
    Duration keyCacheMaxTtl();

    enum AnchorMode {
      ADD,
      REPLACE
    }
  }

  /**
   * The operator API and dashboard on the HTTP port: blocking pause, statistics, recent queries,
   * explain, rule reload and cache flush. Health probes and metrics are not part of it.
   */
  interface Admin {
    /** Off: the HTTP port serves health probes, metrics and nothing else. */
    boolean enabled();

    /**
     * Bearer token the admin routes require (environment: DNSGATE_ADMIN_TOKEN). Without a token only
     * loopback peers are served, and an HTTP host other than loopback refuses to start.
     */
    Optional<String> token();

    /** A file holding the token (a mounted Kubernetes Secret), instead of {@link #token()}. */
    Optional<String> tokenFile();

    /** Client addresses in statistics and recent queries cut to their /24 (IPv4) or /48 (IPv6). */
    boolean anonymizeClients();

    Stats stats();

    Recent recent();

    /** Counters over a rolling window, kept in buckets, with approximate top lists. */
    interface Stats {
      /** How far back the statistics reach. */
      Duration window();

      /** How many buckets the window is cut into (the points of the chart). */
      int buckets();

      /** Names (or clients) each top list tracks per bucket: counts are within queries/size. */
      int sketchSize();

      /** Answers waiting to be counted; more are dropped (and counted) rather than slow queries down. */
      int queue();
    }

    /** The last answered queries, newest first. */
    interface Recent {
      /** How many are kept. */
      int size();
    }
  }

  /** Made-up traffic through the forwarding code before the listeners open (see dev.dnsgate.warmup). */
  interface WarmUp {
    /** How long it runs; zero turns it off. */
    Duration duration();
  }

  /** Who may use the resolver, how fast, and what ANY gets. */
  interface Access {
    /** Client networks that are answered; everyone else is refused or dropped. */
    List<String> allow();

    /** What a client outside {@link #allow()} gets: refuse (REFUSED) or drop (silence). */
    DeniedAction denied();

    RateLimit rateLimit();

    /** ANY queries get the minimal answer of RFC 8482 (minimal) or are forwarded (forward). */
    AnyQueries any();

    enum DeniedAction {
      REFUSE,
      DROP
    }

    enum AnyQueries {
      MINIMAL,
      FORWARD
    }

    /** Token bucket per client network (/24 for IPv4, /56 for IPv6), for UDP only. */
    interface RateLimit {
      /** Queries per second per client network; 0 turns rate limiting off. */
      int qps();

      /** Queries a client network may send at once above the steady rate. */
      int burst();

      /** truncate: TC=1 so real clients retry over TCP (spoofed ones cannot); drop: silence. */
      LimitAction action();

      /** Networks never limited (the machine itself, by default). */
      List<String> exempt();

      /** Client networks tracked at once; the least recently seen are forgotten beyond this. */
      int maxTracked();

      enum LimitAction {
        TRUNCATE,
        DROP
      }
    }
  }

  /** A JSON line per answered query, written off the query path. */
  interface QueryLog {
    boolean enabled();

    /** Where: a file path, or "stdout". */
    String target();

    /** Fraction of queries logged, 0.0 to 1.0. */
    double sample();

    /** Lines waiting to be written; more are dropped (and counted) rather than slow queries down. */
    int queue();
  }

  /** The answer cache between the rules and the upstreams. */
  interface Cache {
    boolean enabled();

    /** Most answers kept. */
    long maxEntries();

    /** Most bytes of answers kept: the records that hold them, an answer's bytes plus its key and times. */
    long maxBytes();

    /** TTLs below this are raised to it (seconds). */
    long minTtl();

    /** TTLs above this are lowered to it (seconds). */
    long maxTtl();

    /** How long an upstream SERVFAIL is remembered (RFC 2308 section 7.1: at most five minutes). */
    Duration servfailTtl();

    /** Answer from expired entries when every upstream fails (RFC 8767), with EDE 3. */
    boolean serveStale();

    /** How long expired entries are kept for serve-stale. */
    Duration staleRetention();

    /** Refresh popular entries shortly before they expire. */
    boolean prefetch();
  }

  /** Where rule files live and how they are kept current. */
  interface Rules {
    /** Folder of rule files (*.yaml), relative to the working directory unless absolute. */
    String dir();

    /** How often the rule files (and the files they name) are checked for changes. */
    Duration reloadInterval();

    /** How old a downloaded block list may get before it is fetched again. */
    Duration listRefresh();

    /** Where downloaded block lists are kept, so the last good copy survives restarts and failures. */
    String listCacheDir();

    /** Keep each parsed block list in list-cache-dir/snapshots, so that a restart need not parse it again. */
    boolean listSnapshots();

    Lint lint();

    /** Warnings about rules that load but cannot do what they seem to (see dev.dnsgate.rules.lint). */
    interface Lint {
      /** Lint warnings fail the load, as errors in a rule file do. */
      boolean strict();
    }
  }

  /** Where clients reach us: one address and port for both UDP and TCP, and optionally DoT and DoH. */
  interface Listen {
    String address();

    /** 0 picks a free port (tests); the actual port is logged. */
    int port();

    /** Largest UDP answer we send, even if a client advertises more (DNS Flag Day 2020: 1232). */
    int udpPayloadSize();

    /**
     * SO_RCVBUF/SO_SNDBUF of the UDP socket in bytes. Bursts from many clients overflow the kernel
     * default (208 KiB) and are lost before we see them; the kernel caps this at net.core.rmem_max.
     */
    int udpSocketBuffer();

    /**
     * UDP sockets sharing the port through SO_REUSEPORT, each read by its own event loop; needs the
     * native epoll transport (Linux), otherwise one socket is used.
     */
    int udpSockets();

    Tcp tcp();

    interface Tcp {
      /** A connection with no traffic for this long is closed (RFC 7766 section 6.2.3). */
      Duration idleTimeout();

      int maxConnections();

      int maxConnectionsPerClient();

      /** Reading pauses while this many queries of one connection are unanswered. */
      int maxInFlightPerConnection();

      /**
       * Queries one connection may send before it is closed (after answering them): an unbounded
       * number per connection let one client pin a peer's worker (CVE-2025-30193).
       */
      int maxQueriesPerConnection();

      /**
       * A message whose first byte has arrived must arrive in full within this time, or the
       * connection is closed: a client trickling bytes would otherwise hold a slot forever, since
       * every byte resets the idle timeout.
       */
      Duration readTimeout();
    }

    /** On shutdown, how long queries already received may take to finish before sockets close. */
    Duration shutdownGrace();

    /** The certificate of the DoT and DoH listeners. */
    Tls tls();

    Dot dot();

    Doh doh();

    interface Tls {
      /** PEM file: the server certificate first, then the intermediates. */
      Optional<String> certFile();

      /** PEM file: the private key of the server certificate (PKCS#8, PKCS#1 or SEC1, unencrypted). */
      Optional<String> keyFile();

      /** How often both files are checked for a renewed certificate. */
      Duration reloadInterval();

      /**
       * The name the certificate is for, e.g. {@code dns.example.org}: a client asking (SNI) for
       * {@code laptop.dns.example.org} is named {@code laptop} in rules. Unset: no names from SNI.
       */
      Optional<String> serverName();

      /**
       * The TLS implementation of the DoT and DoH listeners: {@code openssl} (BoringSSL from
       * netty-tcnative, falling back to {@code jdk} where its native library cannot load) or
       * {@code jdk} (the JDK's SSLEngine).
       */
      TlsProvider provider();
    }

    /**
     * DNS over TLS (RFC 7858) for clients: the framing, caps and timeouts of {@code tcp}, inside TLS
     * with the certificate of {@code tls}.
     */
    interface Dot {
      boolean enabled();

      /** When unset, {@code dnsgate.listen.address}. */
      Optional<String> address();

      /** 853 by default; 0 picks a free port (tests). */
      int port();
    }

    /** DNS over HTTPS (RFC 8484) for clients, on its own port: only /dns-query is served there. */
    interface Doh {
      boolean enabled();

      /** When unset, {@code dnsgate.listen.address}. */
      Optional<String> address();

      /** 443 by default; 0 picks a free port (tests). */
      int port();

      /**
       * Plain HTTP (HTTP/1.1 and h2c) without TLS, for running behind a reverse proxy that terminates
       * TLS; the certificate is then not needed.
       */
      boolean plainHttp();

      /**
       * Peers whose X-Forwarded-For / Forwarded headers are believed (addresses or networks); the
       * client address of everyone else is the peer's. Empty: headers are never believed.
       */
      Optional<List<String>> trustedProxies();

      /** Longest request URI (GET); longer gets 414. */
      int maxUriLength();
    }
  }

  /** The DNS-over-TLS resolvers that answer what no rule answers. */
  interface Upstream {

    /** The name of the group that {@code servers} forms, used when no forward rule picks another. */
    String DEFAULT_GROUP = "default";

    /**
     * Servers as {@code IP[:PORT]#TLS-NAME} (the syntax of unbound's forward-addr), in failover order.
     * The port defaults to 853.
     */
    List<String> servers();

    /** failover: first healthy server in order; fastest: lowest moving-average latency. */
    Strategy strategy();

    /**
     * Named groups for conditional forwarding (rules with {@code action: forward}); each has its own
     * servers and strategy and shares every other upstream setting.
     */
    Map<String, Group> groups();

    interface Group {
      List<String> servers();

      Optional<Strategy> strategy();
    }

    /** PEM file of the CAs that may sign upstream certificates; the JDK trust store when absent. */
    Optional<String> caFile();

    /** SPKI pins by TLS name: base64 SHA-256 of the certificate's SubjectPublicKeyInfo. */
    Map<String, List<String>> spkiPins();

    /** Time one upstream gets to answer one query, TLS handshake included. */
    Duration attemptTimeout();

    /** Time a client query may spend upstream in all, over every retry. */
    Duration totalTimeout();

    /** Pad queries to a multiple of 128 bytes (RFC 8467). */
    boolean padding();

    /**
     * The TLS implementation of DoT and DoH upstream connections: {@code openssl} (BoringSSL, falling
     * back to {@code jdk} where its native library cannot load) or {@code jdk}.
     */
    TlsProvider tlsProvider();

    /** Persistent TLS connections per server. */
    int connectionsPerServer();

    /** Most queries outstanding on one connection; with every connection at the cap, the next upstream is tried. */
    int maxInFlightPerConnection();

    /**
     * Idle connections close after this when the server did not send its own idle timeout (RFC 7828
     * edns-tcp-keepalive); with one, a second before that runs out.
     */
    Duration idleTimeout();

    /** Consecutive failures after which a server is taken out and probed in the background. */
    int failuresBeforeDown();

    /** First delay between probes of a server that is down; doubles up to one minute. */
    Duration probeInterval();

    enum Strategy {
      FAILOVER,
      FASTEST
    }
  }

}
