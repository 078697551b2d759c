package dev.plexgate.proxy.policy.rules;

/**
 * The type of a value in an expression. {@link Kind#EACH} is what {@code x[*]} yields: one element at a
 * time, so a comparison on it gives an {@code Array<Bool>} for {@code any()} or {@code all()}.
 * {@link Kind#ERROR} follows an error already reported, so that it does not cascade.
 */
record Type(Kind kind, Type element) {

    enum Kind { BOOL, INT, STRING, IP, ARRAY, MAP, EACH, ERROR }

    static final Type BOOL = new Type(Kind.BOOL, null);
    static final Type INT = new Type(Kind.INT, null);
    static final Type STRING = new Type(Kind.STRING, null);
    static final Type IP = new Type(Kind.IP, null);
    static final Type ERROR = new Type(Kind.ERROR, null);
    static final Type STRING_ARRAY = array(STRING);
    static final Type BOOL_ARRAY = array(BOOL);

    static Type array(Type element) {
        return new Type(Kind.ARRAY, element);
    }

    static Type map(Type element) {
        return new Type(Kind.MAP, element);
    }

    static Type each(Type element) {
        return new Type(Kind.EACH, element);
    }

    boolean is(Kind other) {
        return kind == other;
    }

    /** The type one element has: itself unless this is {@code x[*]}. */
    Type scalar() {
        return kind == Kind.EACH ? element : this;
    }

    @Override
    public String toString() {
        return switch (kind) {
            case BOOL -> "Bool";
            case INT -> "Int";
            case STRING -> "String";
            case IP -> "IP";
            case ARRAY -> "Array<" + element + ">";
            case MAP -> "Map<" + element + ">";
            case EACH -> "each " + element + " of [*]";
            case ERROR -> "?";
        };
    }
}
