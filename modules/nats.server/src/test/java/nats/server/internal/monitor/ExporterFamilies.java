package nats.server.internal.monitor;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** The fixture {@code prometheus/exporter-families.txt}: the exporter's fixed families, by section. */
record ExporterFamilies(String name, String type, String help, List<String> labels) {

    static Map<String, List<ExporterFamilies>> load() throws IOException {
        Map<String, List<ExporterFamilies>> sections = new TreeMap<>();
        try (InputStream in = ExporterFamilies.class.getResourceAsStream("/prometheus/exporter-families.txt")) {
            String section = "";
            for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
                if (line.isBlank() || line.startsWith("#")) {
                    continue;
                }
                if (line.startsWith("[")) {
                    section = line.substring(1, line.length() - 1);
                    continue;
                }
                String[] f = line.split("\\|", -1);
                sections.computeIfAbsent(section, s -> new ArrayList<>())
                        .add(new ExporterFamilies(f[0], f[1], f[2], List.of(f[3].split(","))));
            }
        }
        return sections;
    }

    /** The name the Python parser gives the family (it drops a counter's {@code _total}). */
    String parsedName() {
        return type.equals("counter") && name.endsWith("_total") ? name.substring(0, name.length() - 6) : name;
    }
}
