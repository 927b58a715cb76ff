package dev.e2bjobs.bundle;

import java.util.List;
import java.util.Optional;

/** Where uploaded bundles are read from: the jobs bucket. */
public interface BundleSource {

    /** An object under a folder bundle's prefix, with its size as listed. */
    record Listed(String key, long size) {
    }

    /**
     * The uploaded object, exactly the version announced (by version id, or by ETag); empty if it is gone
     * or has been replaced since (the newer upload has a notification of its own).
     *
     * @throws dev.e2bjobs.job.InvalidJobRequestException BUNDLE_TOO_LARGE beyond {@code maxBytes}, before reading it
     */
    Optional<byte[]> read(Upload upload, long maxBytes);

    /** The current content of another key; empty if there is none. */
    Optional<byte[]> read(String bucket, String key);

    /** Every key under {@code prefix}, at most {@code max} + 1 of them (enough to tell that there are too many). */
    List<Listed> list(String bucket, String prefix, int max);
}
