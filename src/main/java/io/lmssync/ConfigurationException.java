package io.lmssync;

/** A setting is missing or wrong: the message names the key, what is wrong, and how to set it. */
public final class ConfigurationException extends RuntimeException {

    public ConfigurationException(String message) {
        super(message);
    }
}
