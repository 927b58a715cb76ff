package dev.e2bjobs.sandbox;

/** What following a process saw: whether it exited, and what it wrote to stdout meanwhile (up to the bound asked for). */
public record ProcessExit(boolean exited, byte[] stdout) {

    public ProcessExit {
        stdout = stdout.clone();
    }

    @Override
    public byte[] stdout() {
        return stdout.clone();
    }
}
