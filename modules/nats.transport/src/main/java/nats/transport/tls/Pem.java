package nats.transport.tls;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** PEM files (RFC 7468, plus the RFC 1421 headers of legacy encrypted keys): the blocks, decoded. */
final class Pem {

    /** One {@code -----BEGIN type-----} block: its headers (e.g. Proc-Type) and its decoded body. */
    record Block(String type, Map<String, String> headers, byte[] der) {
    }

    private static final String BEGIN = "-----BEGIN ";
    private static final String END = "-----END ";
    private static final String DASHES = "-----";

    private Pem() {
    }

    /** Reads {@code file} for the option {@code key} (cert_file, key_file, ca_file), with operator messages. */
    static List<Block> read(Path file, String key) throws TlsSetupException {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.ISO_8859_1);
        } catch (NoSuchFileException e) {
            throw new TlsSetupException(key + " " + file + " does not exist");
        } catch (IOException e) {
            throw new TlsSetupException("cannot read " + key + " " + file + ": " + e.getMessage(), e);
        }
        List<Block> blocks = parse(text, file, key);
        if (blocks.isEmpty()) {
            throw new TlsSetupException(key + " " + file + " contains no PEM data (expected -----BEGIN ...----- "
                    + "blocks)");
        }
        return blocks;
    }

    static List<Block> parse(String text, Path file, String key) throws TlsSetupException {
        List<Block> blocks = new ArrayList<>();
        String[] lines = text.split("\r?\n|\r");
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i].strip();
            if (!line.startsWith(BEGIN) || !line.endsWith(DASHES)) {
                continue; // text around blocks is allowed, as in Go
            }
            String type = line.substring(BEGIN.length(), line.length() - DASHES.length());
            String end = END + type + DASHES;
            Map<String, String> headers = new LinkedHashMap<>();
            StringBuilder base64 = new StringBuilder();
            int j = i + 1;
            for (; j < lines.length && !lines[j].strip().equals(end); j++) {
                String body = lines[j].strip();
                int colon = body.indexOf(':');
                if (colon > 0 && base64.isEmpty()) {
                    headers.put(body.substring(0, colon).strip(), body.substring(colon + 1).strip());
                } else {
                    base64.append(body);
                }
            }
            if (j == lines.length) {
                throw new TlsSetupException(key + " " + file + ": the " + type + " block has no '" + end + "' line");
            }
            try {
                blocks.add(new Block(type, headers, Base64.getMimeDecoder().decode(base64.toString())));
            } catch (IllegalArgumentException e) {
                throw new TlsSetupException(key + " " + file + ": the " + type + " block is not valid base64: "
                        + e.getMessage());
            }
            i = j;
        }
        return blocks;
    }
}
