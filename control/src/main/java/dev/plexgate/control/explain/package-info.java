/**
 * {@code plexgate explain}: one imagined request run through the configured policy the way the proxy
 * would run it, with every rule's verdict, so that "why was my friend blocked?" has an answer without
 * reading logs.
 */
package dev.plexgate.control.explain;
