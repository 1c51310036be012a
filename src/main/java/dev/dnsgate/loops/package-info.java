/**
 * Which event loop does what: the UDP listener and upstream connections on separate loops.
 */
package dev.dnsgate.loops;
