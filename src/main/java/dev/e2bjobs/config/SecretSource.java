package dev.e2bjobs.config;

/** Where secrets live at run time (Secrets Manager in AWS); adapters read them through this, never from configuration values. */
public interface SecretSource {

    /** The current value of a secret, by ARN or name. */
    Secret read(String secretId);
}
