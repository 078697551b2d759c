package dev.plexgate.control.explain;

import dev.plexgate.control.explain.Explanation.BotVerdict;
import dev.plexgate.control.explain.Explanation.Listing;
import dev.plexgate.control.explain.Explanation.RateLimitVerdict;
import dev.plexgate.control.explain.Explanation.RuleVerdict;
import dev.plexgate.control.explain.Explanation.Step;
import dev.plexgate.control.explain.Explanation.Verdict;
import dev.plexgate.proxy.policy.Cidr;
import dev.plexgate.proxy.policy.CustomRule;
import dev.plexgate.proxy.policy.Policy;
import dev.plexgate.proxy.policy.RateLimitRule;
import dev.plexgate.proxy.policy.RuleAction;
import dev.plexgate.proxy.policy.SkipPhase;
import dev.plexgate.proxy.policy.lists.BotDetector;
import dev.plexgate.proxy.policy.lists.HostState;
import dev.plexgate.proxy.policy.lists.IpList;
import dev.plexgate.proxy.policy.lists.IpListEntry;
import dev.plexgate.proxy.policy.rules.RequestFacts;
import io.netty.util.NetUtil;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Runs one request through a policy and says what each rule made of it. The verdicts follow
 * {@link Policy#decide}'s order and skips; the final decision is the policy's own, taken from a policy
 * that has seen no other request, so rate limits never trigger here.
 */
public final class Explainer {

    private Explainer() {
    }

    /**
     * @param policy      built with {@code botOverride} deciding {@code cf.client.bot} when it is not null
     * @param ipLists     the lists the policy was compiled against
     * @param botList     the bots list, or null when there is none
     * @param botOverride {@code --bot} (true) or {@code --no-bot} (false), or null
     */
    public static Explanation explain(TunnelRequest request, Policy policy, Map<String, IpList> ipLists,
            BotDetector botList, Boolean botOverride) {
        RequestFacts facts = request.facts();
        List<RuleVerdict> rules = new ArrayList<>();
        Step ended = null;
        String blockedBy = null;
        String rateLimitsSkippedBy = null;
        String botFightSkippedBy = null;
        for (CustomRule rule : policy.rules()) {
            if (ended != null) {
                rules.add(new RuleVerdict(rule, ended));
                continue;
            }
            if (!rule.expression().matches(facts)) {
                rules.add(new RuleVerdict(rule, new Step(Verdict.NO_MATCH, null)));
                continue;
            }
            rules.add(new RuleVerdict(rule, new Step(Verdict.MATCH, null)));
            if (rule.action() == RuleAction.BLOCK) {
                blockedBy = rule.name();
                ended = new Step(Verdict.NOT_REACHED, blockedBy);
            } else if (rule.action() == RuleAction.SKIP) {
                if (rule.skip().contains(SkipPhase.RATE_LIMIT) && rateLimitsSkippedBy == null) {
                    rateLimitsSkippedBy = rule.name();
                }
                if (rule.skip().contains(SkipPhase.SBFM) && botFightSkippedBy == null) {
                    botFightSkippedBy = rule.name();
                }
                if (rule.skip().contains(SkipPhase.CURRENT)) {
                    ended = new Step(Verdict.SKIPPED, rule.name());
                }
            }
        }
        List<RateLimitVerdict> rateLimits = new ArrayList<>();
        for (RateLimitRule rule : policy.rateLimitRules()) {
            Step step = blockedBy != null ? new Step(Verdict.NOT_REACHED, blockedBy)
                    : rateLimitsSkippedBy != null ? new Step(Verdict.SKIPPED, rateLimitsSkippedBy)
                    : new Step(rule.expression().matches(facts) ? Verdict.MATCH : Verdict.NO_MATCH, null);
            rateLimits.add(new RateLimitVerdict(rule, step));
        }
        BotVerdict bot = bot(facts.userAgent(), botList, botOverride);
        Step botFightMode = !policy.botFightMode() ? new Step(Verdict.OFF, null)
                : blockedBy != null ? new Step(Verdict.NOT_REACHED, blockedBy)
                : botFightSkippedBy != null ? new Step(Verdict.SKIPPED, botFightSkippedBy)
                : new Step(bot.bot() ? Verdict.MATCH : Verdict.NO_MATCH, null);
        return new Explanation(request, listings(facts.ipSrc(), ipLists), bot, rules, rateLimits, botFightMode,
                policy.decide(facts));
    }

    private static BotVerdict bot(String userAgent, BotDetector botList, Boolean botOverride) {
        if (botOverride != null) {
            return new BotVerdict(botOverride, botOverride ? "--bot" : "--no-bot");
        }
        if (botList == null) {
            return new BotVerdict(false, "no bots list");
        }
        return botList.firstMatch(userAgent)
                .map(pattern -> new BotVerdict(true, "pattern " + pattern + " (line " + pattern.line() + ")"))
                .orElseGet(() -> new BotVerdict(false, null));
    }

    private static String text(Cidr cidr) {
        String address = NetUtil.toAddressString(cidr.network());
        return cidr.prefixLength() == cidr.network().getAddress().length * 8 ? address
                : address + "/" + cidr.prefixLength();
    }

    private static List<Listing> listings(InetAddress client, Map<String, IpList> ipLists) {
        List<Listing> listings = new ArrayList<>();
        ipLists.forEach((name, list) -> listings.add(new Listing(name, narrowestEntry(client, list),
                list.nameFor(client))));
        return listings;
    }

    /** The covering entry with the longest prefix, as {@code file:line text}, or null. */
    private static String narrowestEntry(InetAddress client, IpList list) {
        String best = null;
        int bestPrefix = -1;
        String file = list.file().file().getFileName().toString();
        for (IpListEntry entry : list.file().entries()) {
            if (entry instanceof IpListEntry.Network network) {
                Cidr cidr = network.cidr();
                if (cidr.prefixLength() > bestPrefix && cidr.contains(client)) {
                    bestPrefix = cidr.prefixLength();
                    best = file + ":" + entry.line() + " " + text(cidr);
                }
            }
        }
        for (HostState host : list.hosts()) {
            int full = client.getAddress().length * 8;
            if (full > bestPrefix && host.addresses().contains(client)) {
                bestPrefix = full;
                best = file + ":" + host.entry().line() + " " + host.entry().hostName();
            }
        }
        return best;
    }
}
