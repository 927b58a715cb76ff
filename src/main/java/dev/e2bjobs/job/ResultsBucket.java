package dev.e2bjobs.job;

/** The jobs bucket, as far as results go: where jobs that ask for it leave their results, and rejected bundles their error. */
public interface ResultsBucket {

    /** Writes one object, replacing what the key held. */
    void put(String key, byte[] content, String contentType);
}
