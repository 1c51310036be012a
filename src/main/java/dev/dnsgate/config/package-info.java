/**
 * Typed configuration: one {@code @ConfigMapping} for every {@code dnsgate.*} key; defaults in application.yaml, every key in the README table.
 */
package dev.dnsgate.config;
