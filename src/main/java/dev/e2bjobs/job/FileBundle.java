package dev.e2bjobs.job;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

/** A job's files as one blob: a count, then each file's path and bytes, length-prefixed. */
final class FileBundle {
    private FileBundle() {
    }

    static byte[] pack(List<JobFile> files) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeInt(files.size());
            for (JobFile file : files) {
                out.writeUTF(file.path());
                byte[] content = file.content();
                out.writeInt(content.length);
                out.write(content);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    static List<JobFile> unpack(byte[] bundle) {
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(bundle))) {
            int count = in.readInt();
            List<JobFile> files = new ArrayList<>(count);
            for (int i = 0; i < count; i++) {
                String path = in.readUTF();
                byte[] content = new byte[in.readInt()];
                in.readFully(content);
                files.add(new JobFile(path, content));
            }
            return files;
        } catch (IOException e) {
            throw new UncheckedIOException("a stored job bundle is damaged", e);
        }
    }
}
