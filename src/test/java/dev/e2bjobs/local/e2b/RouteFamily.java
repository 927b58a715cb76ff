package dev.e2bjobs.local.e2b;

/** Groups of routes that fault injection can target separately. */
public enum RouteFamily {
    /** The control-plane REST API: /sandboxes, /v2/sandboxes. */
    CONTROL,
    /** envd file transfer: GET/POST /files. */
    FILES,
    /** envd Connect RPC: process.Process and filesystem.Filesystem. */
    RPC;

    static RouteFamily parse(String name) {
        return valueOf(name.trim().toUpperCase(java.util.Locale.ROOT));
    }
}
