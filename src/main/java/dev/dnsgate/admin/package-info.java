/**
 * The operator API and dashboard on the HTTP port: who may use it ({@link dev.dnsgate.admin.AdminAccess},
 * {@link dev.dnsgate.admin.AdminFilter}), blocking pause, rolling statistics and recent queries fed
 * off the query path ({@link dev.dnsgate.admin.QueryFeed}), and the routes that serve them.
 */
package dev.dnsgate.admin;
