package dev.dnsgate.wire;

/** How a query reached us; it decides the size limit of the answer. */
public enum Transport {
  UDP,
  TCP
}
