package dev.e2bjobs.config;

/** A configuration value that must never be printed: toString shows only that it is set. */
public record Secret(String value) {

    public Secret {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException("secret is empty");
        }
    }

    @Override
    public String toString() {
        return "Secret[****]";
    }
}
