package dev.plexgate.proxy.policy;

/** Decides {@code cf.client.bot} from a user agent. Thread-safe; never blocks. */
public interface BotClassifier {

    /** True when {@code userAgent} ({@code ""} when absent) belongs to a known bot. */
    boolean isBot(String userAgent);
}
