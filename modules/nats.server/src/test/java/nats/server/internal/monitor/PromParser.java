package nats.server.internal.monitor;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import nats.transport.json.Json;

/**
 * The reference Prometheus text parser (Debian's {@code python3-prometheus-client}, run with the system Python
 * so Debian's package is found) and the exporter's generic collector written again in Python, for the metrics
 * tests. Tests skip themselves when {@link #available()} is false; {@code .ci/run} installs the package.
 */
final class PromParser {

    static final Path PYTHON = Path.of("/usr/bin/python3");

    private PromParser() {
    }

    static boolean available() {
        try {
            return Files.isExecutable(PYTHON) && run(List.of("-c", "import prometheus_client"), "").exit == 0;
        } catch (IOException e) {
            return false;
        }
    }

    /** The families of {@code text}, as the parser reads them: name, type, help, samples (name, labels, value). */
    @SuppressWarnings("unchecked")
    static List<Map<String, Object>> parse(String text) throws IOException {
        Result r = run(List.of(script("parse_metrics.py")), text);
        if (r.exit != 0) {
            throw new AssertionError("the Prometheus parser refused the text: " + r.err);
        }
        return (List<Map<String, Object>>) (List<?>) Json.parse(r.out);
    }

    /** The metric names and labels the exporter's generic collector registers for a document. */
    @SuppressWarnings("unchecked")
    static List<Map<String, Object>> exporterGeneric(String namespace, String endpoint, String json, Path dir)
            throws IOException {
        Path file = Files.writeString(dir.resolve(endpoint + "-" + System.nanoTime() + ".json"), json);
        Result r = run(List.of(script("exporter_generic.py"), namespace, endpoint, file.toString()), "");
        if (r.exit != 0) {
            throw new AssertionError("exporter_generic.py failed: " + r.err);
        }
        return (List<Map<String, Object>>) (List<?>) Json.parse(r.out);
    }

    /** One family by name, or null. */
    @SuppressWarnings("unchecked")
    static Map<String, Object> family(List<Map<String, Object>> families, String name) {
        for (Map<String, Object> f : families) {
            if (f.get("name").equals(name)) {
                return f;
            }
        }
        return null;
    }

    @SuppressWarnings("unchecked")
    static List<Map<String, Object>> samples(Map<String, Object> family) {
        return (List<Map<String, Object>>) family.get("samples");
    }

    /** The value of the family's sample whose labels include {@code labels}. */
    @SuppressWarnings("unchecked")
    static double value(List<Map<String, Object>> families, String name, Map<String, String> labels) {
        Map<String, Object> f = family(families, name);
        if (f == null) {
            throw new AssertionError("no family " + name);
        }
        for (Map<String, Object> s : samples(f)) {
            Map<String, Object> l = (Map<String, Object>) s.get("labels");
            if (l.entrySet().containsAll(labels.entrySet())) {
                return ((Number) s.get("value")).doubleValue();
            }
        }
        throw new AssertionError("no sample of " + name + " with " + labels + " in " + f);
    }

    private static String script(String name) {
        try {
            return Path.of(PromParser.class.getResource("/prometheus/" + name).toURI()).toString();
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    private record Result(int exit, String out, String err) {
    }

    private static Result run(List<String> args, String stdin) throws IOException {
        List<String> command = new ArrayList<>(List.of(PYTHON.toString()));
        command.addAll(args);
        Process p = new ProcessBuilder(command).start();
        p.getOutputStream().write(stdin.getBytes(StandardCharsets.UTF_8));
        p.getOutputStream().close();
        byte[] out = p.getInputStream().readAllBytes();
        byte[] err = p.getErrorStream().readAllBytes();
        try {
            if (!p.waitFor(30, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IOException("python did not finish");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(e);
        }
        return new Result(p.exitValue(), new String(out, StandardCharsets.UTF_8), new String(err, StandardCharsets.UTF_8));
    }
}
