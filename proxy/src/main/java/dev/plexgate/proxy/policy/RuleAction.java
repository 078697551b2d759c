package dev.plexgate.proxy.policy;

/** What a custom rule does when its expression matches (RULES.md §8). */
public enum RuleAction {
    /** Terminating: answer with the rule's response, never reach Plex. */
    BLOCK,
    /** Skip the phases the rule names (by default the remaining custom rules); record an event. */
    SKIP,
    /** Record an event and go on. */
    LOG;

    /** The lowercase word used in plexgate.yml, events and metric labels. */
    public String label() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
