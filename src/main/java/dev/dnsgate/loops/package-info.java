/**
 * Which event loop does what: the UDP listener sockets own the first loops, upstream connections the others
 * ({@link dev.dnsgate.loops.EventLoops}, one bean per Vert.x instance).
 */
package dev.dnsgate.loops;
