/**
 * The list files a policy refers to as {@code $name}, and the known-bot verdict.
 *
 * <ul>
 *   <li>{@link dev.plexgate.proxy.policy.lists.IpListFile} parses an {@code allow.list}: addresses, CIDRs and
 *       host names, each with an optional name; {@link dev.plexgate.proxy.policy.lists.IpList} answers
 *       {@code ip.src in $list} from an immutable range table by binary search, and keeps host-name entries
 *       resolved in the background so that no request ever waits for DNS.</li>
 *   <li>{@link dev.plexgate.proxy.policy.lists.PatternListFile} parses a {@code bots.list}: case-insensitive
 *       substrings and {@code /RE2 regular expressions/}; {@link dev.plexgate.proxy.policy.lists.BotDetector}
 *       decides {@code cf.client.bot} in one pass over the user agent and remembers recent verdicts in a
 *       bounded cache.</li>
 * </ul>
 *
 * <p>Every mistake in a file is a {@link dev.plexgate.proxy.policy.lists.ListProblem} with its file, line and
 * column; a file with mistakes is refused whole ({@link dev.plexgate.proxy.policy.lists.ListException}), so a
 * reload never half-applies a list. Pure Java: nothing here knows Netty or YAML.
 */
package dev.plexgate.proxy.policy.lists;
