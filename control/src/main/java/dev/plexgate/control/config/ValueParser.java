package dev.plexgate.control.config;

import java.util.function.Consumer;

/** Turns one YAML value into a typed one, or says what is wrong with it. */
@FunctionalInterface
interface ValueParser<T> {

    T parse(YamlNode node) throws InvalidValue;

    /**
     * Also hands the value to {@code check}, typically a settings record's constructor, and turns
     * its {@link IllegalArgumentException} into an error located at this value.
     */
    default ValueParser<T> checkedBy(Consumer<T> check) {
        return node -> {
            T value = parse(node);
            try {
                check.accept(value);
            } catch (IllegalArgumentException e) {
                throw InvalidValue.rejected(node, e);
            }
            return value;
        };
    }
}
