package dev.e2bjobs.local.e2b;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

/** An open connection to a TCP port inside a sandbox: what the port's server writes, and what it reads. */
record SandboxPort(InputStream fromPort, OutputStream toPort, Closer closer) implements AutoCloseable {
    interface Closer {
        void close() throws IOException;
    }

    @Override
    public void close() throws IOException {
        closer.close();
    }
}
