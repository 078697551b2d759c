/**
 * Editing an IP list file ({@code allow.list}) from the command line: {@code plexgate allow add},
 * {@code remove} and {@code list}. Entries are validated by the proxy's own list parser, the file is
 * replaced atomically with every other byte kept, and a running service is asked to reload.
 */
package dev.plexgate.control.allow;
