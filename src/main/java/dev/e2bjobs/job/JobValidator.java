package dev.e2bjobs.job;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * Turns a {@link JobRequest} into a {@link JobSpec}, or rejects it with one stable code per rule
 * (the codes are part of the HTTP API and documented in its OpenAPI file).
 */
public final class JobValidator {
    /** Genesis-style jobs: evaluate.py runs main.py and writes results/metrics.json and correct.json. */
    public static final List<String> GENESIS_COMMAND =
            List.of("python", "evaluate.py", "--program_path", "main.py", "--results_dir", "results");
    public static final List<String> DEFAULT_RESULT_PATHS = List.of("results/");

    private static final Pattern ENV_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");
    private static final Pattern LABEL_KEY = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._:/-]{0,62}");
    private static final String NAME = "[A-Za-z0-9]([A-Za-z0-9._-]*[A-Za-z0-9])?";
    private static final String VERSION = "(===|==|!=|<=|>=|~=|<|>)\\s*[A-Za-z0-9.*+!_-]+";
    /** A PEP 508 name with extras and version specifiers; no URLs, paths, markers or pip options. */
    private static final Pattern REQUIREMENT = Pattern.compile(
            NAME + "(\\[\\s*" + NAME + "(\\s*,\\s*" + NAME + ")*\\s*\\])?(\\s*" + VERSION + "(\\s*,\\s*" + VERSION + ")*)?");
    private static final int MAX_PATH = 255;
    private static final int MAX_ENV = 100;
    private static final int MAX_ENV_VALUE = 4096;
    private static final int MAX_ENV_TOTAL = 32 * 1024;
    private static final int MAX_LABELS = 20;
    private static final int MAX_COMMAND_BYTES = 32 * 1024;

    private final JobSettings settings;

    public JobValidator(JobSettings settings) {
        this.settings = settings;
    }

    public JobSpec validate(JobRequest request) {
        if (request == null) {
            throw new InvalidJobRequestException("BODY_REQUIRED", "a job needs a JSON body");
        }
        List<JobFile> files = files(request.files());
        List<String> command = command(request.shellCommand(), request.argv(), files);
        List<String> dependencies = dependencies(request.dependencies());
        Map<String, String> env = env(request.env());
        String template = request.template() == null ? settings.defaultTemplate() : request.template();
        if (!settings.templates().contains(template)) {
            throw new InvalidJobRequestException("TEMPLATE_NOT_ALLOWED",
                    "template '" + template + "' is not one of " + new TreeSet<>(settings.templates()));
        }
        int timeout = request.timeoutSeconds() == null ? settings.defaultTimeoutSeconds() : request.timeoutSeconds();
        if (timeout < 1 || timeout > settings.maxTimeoutSeconds()) {
            throw new InvalidJobRequestException("TIMEOUT_OUT_OF_RANGE",
                    "timeoutSeconds must be within 1.." + settings.maxTimeoutSeconds() + ", got " + timeout);
        }
        List<String> resultPaths = resultPaths(request.resultPaths());
        Map<String, String> labels = labels(request.labels());
        return new JobSpec(files, command, dependencies, env, template, timeout, resultPaths, labels,
                Boolean.TRUE.equals(request.internet()), request.callbackUrl(), null, resultsTo(request.resultsTo()));
    }

    /** "s3": the results also go to the jobs bucket, under the job's id. */
    private static ResultsTarget resultsTo(String requested) {
        if (requested == null) {
            return null;
        }
        if (!requested.equals("s3")) {
            throw new InvalidJobRequestException("RESULTS_TO_INVALID", "resultsTo can only be \"s3\" (the jobs bucket), got '" + requested + "'");
        }
        return ResultsTarget.BY_JOB_ID;
    }

    private List<JobFile> files(Map<String, JobRequest.FileContent> requested) {
        if (requested == null) {
            return List.of();
        }
        if (requested.size() > settings.maxFiles()) {
            throw new InvalidJobRequestException("TOO_MANY_FILES", requested.size() + " files; at most " + settings.maxFiles());
        }
        List<JobFile> files = new ArrayList<>();
        Set<String> paths = new TreeSet<>();
        long total = 0;
        for (Map.Entry<String, JobRequest.FileContent> entry : requested.entrySet()) {
            String path = relativePath(entry.getKey(), false, "file");
            byte[] content = decode(path, entry.getValue());
            if (content.length > settings.maxFileBytes()) {
                throw new InvalidJobRequestException("FILE_TOO_LARGE",
                        path + " has " + content.length + " bytes; at most " + settings.maxFileBytes());
            }
            total += content.length;
            paths.add(path);
            files.add(new JobFile(path, content));
        }
        if (total > settings.maxTotalBytes()) {
            throw new InvalidJobRequestException("FILES_TOO_LARGE", "files total " + total + " bytes; at most " + settings.maxTotalBytes());
        }
        for (String path : paths) {
            String parent = path;
            while (parent.contains("/")) {
                parent = parent.substring(0, parent.lastIndexOf('/'));
                if (paths.contains(parent)) {
                    throw new InvalidJobRequestException("PATH_CONFLICT", parent + " is a file and a directory (" + path + ")");
                }
            }
        }
        return files;
    }

    private static byte[] decode(String path, JobRequest.FileContent file) {
        if (file == null || file.content() == null) {
            throw new InvalidJobRequestException("CONTENT_INVALID", path + " has no content");
        }
        String encoding = file.encoding() == null ? "utf-8" : file.encoding();
        return switch (encoding) {
            case "utf-8" -> file.content().getBytes(StandardCharsets.UTF_8);
            case "base64" -> {
                try {
                    yield Base64.getDecoder().decode(file.content());
                } catch (IllegalArgumentException e) {
                    throw new InvalidJobRequestException("CONTENT_INVALID", path + " is not valid base64: " + e.getMessage());
                }
            }
            default -> throw new InvalidJobRequestException("ENCODING_INVALID",
                    path + ": encoding must be utf-8 or base64, got '" + encoding + "'");
        };
    }

    /** A relative, normalised path inside the job directory ({@code directoryAllowed}: may end in /). */
    static String relativePath(String path, boolean directoryAllowed, String what) {
        if (path == null || path.isEmpty() || path.length() > MAX_PATH) {
            throw new InvalidJobRequestException("PATH_INVALID", what + " path must have 1.." + MAX_PATH + " characters");
        }
        if (path.startsWith("/")) {
            throw new InvalidJobRequestException("PATH_ABSOLUTE", what + " path must be relative: " + path);
        }
        String body = directoryAllowed && path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
        for (String segment : body.split("/", -1)) {
            if (segment.equals("..")) {
                throw new InvalidJobRequestException("PATH_TRAVERSAL", what + " path may not contain '..': " + path);
            }
            if (segment.isEmpty() || segment.equals(".")) {
                throw new InvalidJobRequestException("PATH_INVALID", what + " path must be normalised (no '//', './' or trailing '/'): " + path);
            }
        }
        if (path.chars().anyMatch(c -> c < 0x20 || c == 0x7f || c == '\\')) {
            throw new InvalidJobRequestException("PATH_INVALID", what + " path may not contain control characters or '\\'");
        }
        return path;
    }

    private static List<String> command(String shellCommand, List<String> argvCommand, List<JobFile> files) {
        if (shellCommand == null && argvCommand == null) {
            Set<String> paths = new TreeSet<>();
            files.forEach(file -> paths.add(file.path()));
            if (!paths.contains("main.py") || !paths.contains("evaluate.py")) {
                throw new InvalidJobRequestException("COMMAND_REQUIRED",
                        "give a command, or main.py and evaluate.py for the default Genesis-style command");
            }
            return GENESIS_COMMAND;
        }
        List<String> argv = shellCommand != null ? List.of("/bin/bash", "-c", shellCommand) : argvCommand;
        int bytes = argv.stream().mapToInt(arg -> arg == null ? 0 : arg.getBytes(StandardCharsets.UTF_8).length).sum();
        if (argv.isEmpty() || argv.stream().anyMatch(arg -> arg == null || arg.indexOf('\0') >= 0) || argv.get(0).isBlank()
                || bytes > MAX_COMMAND_BYTES) {
            throw new InvalidJobRequestException("COMMAND_INVALID",
                    "command must be non-empty, without NUL characters, at most " + MAX_COMMAND_BYTES + " bytes");
        }
        return List.copyOf(argv);
    }

    private List<String> dependencies(List<String> requested) {
        if (requested == null) {
            return List.of();
        }
        if (requested.size() > settings.maxDependencies()) {
            throw new InvalidJobRequestException("TOO_MANY_DEPENDENCIES",
                    requested.size() + " dependencies; at most " + settings.maxDependencies());
        }
        for (String requirement : requested) {
            if (requirement == null || requirement.length() > 200 || !REQUIREMENT.matcher(requirement.trim()).matches()) {
                throw new InvalidJobRequestException("REQUIREMENT_INVALID",
                        "'" + requirement + "' is not a plain requirement such as numpy==2.1.0 (no options, URLs or paths)");
            }
        }
        return requested.stream().map(String::trim).toList();
    }

    private static Map<String, String> env(Map<String, String> requested) {
        if (requested == null) {
            return Map.of();
        }
        if (requested.size() > MAX_ENV) {
            throw new InvalidJobRequestException("TOO_MANY_ENV", requested.size() + " env vars; at most " + MAX_ENV);
        }
        Map<String, String> env = new LinkedHashMap<>();
        requested.forEach((name, value) -> {
            if (!ENV_NAME.matcher(name).matches()) {
                throw new InvalidJobRequestException("ENV_NAME_INVALID", "env name '" + name + "' must match [A-Za-z_][A-Za-z0-9_]*");
            }
            if (value == null || value.length() > MAX_ENV_VALUE || value.indexOf('\0') >= 0) {
                throw new InvalidJobRequestException("ENV_VALUE_INVALID",
                        "env " + name + " must be a string without NUL of at most " + MAX_ENV_VALUE + " characters");
            }
            env.put(name, value);
        });
        int total = env.entrySet().stream().mapToInt(e -> e.getKey().length() + e.getValue().length()).sum();
        if (total > MAX_ENV_TOTAL) {
            throw new InvalidJobRequestException("ENV_TOO_LARGE", "env totals " + total + " characters; at most " + MAX_ENV_TOTAL);
        }
        return env;
    }

    private static List<String> resultPaths(List<String> requested) {
        if (requested == null) {
            return DEFAULT_RESULT_PATHS;
        }
        if (requested.size() > 20) {
            throw new InvalidJobRequestException("RESULT_PATH_INVALID", "at most 20 result paths");
        }
        try {
            return requested.stream().map(path -> relativePath(path, true, "result")).toList();
        } catch (InvalidJobRequestException e) {
            throw new InvalidJobRequestException("RESULT_PATH_INVALID", e.getMessage());
        }
    }

    private static Map<String, String> labels(Map<String, String> requested) {
        if (requested == null) {
            return Map.of();
        }
        if (requested.size() > MAX_LABELS) {
            throw new InvalidJobRequestException("LABEL_INVALID", "at most " + MAX_LABELS + " labels");
        }
        requested.forEach((key, value) -> {
            if (!LABEL_KEY.matcher(key).matches() || value == null || value.length() > 256) {
                throw new InvalidJobRequestException("LABEL_INVALID",
                        "label '" + key + "' needs a key of [A-Za-z0-9._:/-] (at most 63) and a value of at most 256 characters");
            }
        });
        return requested;
    }
}
