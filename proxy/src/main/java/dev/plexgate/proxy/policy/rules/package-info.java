/**
 * Cloudflare's Rules language (RULES.md), enforced locally: the expressions of {@code plexgate.yml}
 * checked at config load and evaluated against each request.
 *
 * <p>Start at {@link dev.plexgate.proxy.policy.rules.RulesCompiler#compile}. It runs four phases,
 * as wirefilter does:
 * <ol>
 *   <li><b>lex</b> ({@code Lexer}): context-free tokens; names, keywords and bare literals are one
 *       kind of word, strings keep their escapes;</li>
 *   <li><b>parse</b> ({@code Parser}): precedence {@code not > and > xor > or}, typed against the
 *       field scheme ({@code Field}, {@code Type}) as it goes, so the left side decides how the right
 *       side's literal is read; literals, regexes and sets are decoded and checked here. Errors
 *       ({@link dev.plexgate.proxy.policy.rules.RuleError}) are collected with their positions; only
 *       a broken structure stops the parse;</li>
 *   <li><b>compile</b> ({@code Compiler}): the typed tree ({@code Ast}) becomes small immutable
 *       closures ({@code Nodes}), once per config load;</li>
 *   <li><b>evaluate</b>: {@link dev.plexgate.proxy.policy.rules.CompiledExpression#matches} against
 *       the {@link dev.plexgate.proxy.policy.rules.RequestFacts} of one request, whose derived
 *       fields are computed only if a rule reads them.</li>
 * </ol>
 *
 * <p>Strings are byte strings held one char per byte (ISO-8859-1), so lengths, comparisons and
 * regexes work on bytes as at Cloudflare. {@code matches} runs on RE2/J, never
 * {@code java.util.regex}. Pure Java: no Netty here; the HTTP layer builds the facts.
 */
package dev.plexgate.proxy.policy.rules;
