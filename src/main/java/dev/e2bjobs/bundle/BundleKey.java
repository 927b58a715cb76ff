package dev.e2bjobs.bundle;

import java.util.Optional;

/**
 * A key that holds a job bundle: {@code <prefix><name>.zip}, or {@code <prefix><name>/job.json} whose
 * files are the keys beside it. Nothing else under the prefix (a folder bundle's other files), and
 * nothing outside it (results/, artifacts/), is one.
 *
 * @param name  the bundle's name, which names its results folder: {@code results/<name>/}
 * @param folder for a folder bundle, the key prefix of its files ({@code <prefix><name>/}); null for a zip
 */
record BundleKey(String name, String folder) {
    static final String JOB_JSON = "job.json";
    private static final String ZIP = ".zip";

    static Optional<BundleKey> parse(String prefix, String key) {
        if (!key.startsWith(prefix)) {
            return Optional.empty();
        }
        String rest = key.substring(prefix.length());
        if (rest.endsWith(ZIP)) {
            return named(rest.substring(0, rest.length() - ZIP.length()), null);
        }
        if (rest.endsWith("/" + JOB_JSON)) {
            String name = rest.substring(0, rest.length() - JOB_JSON.length() - 1);
            return named(name, prefix + name + "/");
        }
        return Optional.empty();
    }

    /** A name must name a folder of its own under results/: not empty, no empty, "." or ".." segment. */
    private static Optional<BundleKey> named(String name, String folder) {
        for (String segment : name.split("/", -1)) {
            if (segment.isEmpty() || segment.equals(".") || segment.equals("..")) {
                return Optional.empty();
            }
        }
        return Optional.of(new BundleKey(name, folder));
    }

    boolean isZip() {
        return folder == null;
    }
}
