"""The NATS Prometheus exporter's generic collector (prometheus-nats-exporter, collector/collector.go,
objectToMetrics), written again from its source for the tests: reads one monitoring document (JSON file) and
prints, as JSON, the metric names it would register for it with their label names. Used on the Go server's
own /varz, /subsz and /routez, so the expected names come from the reference server, not from jnatsd.

usage: exporter_generic.py NAMESPACE ENDPOINT DOCUMENT.json"""
import json
import re
import sys
from datetime import datetime

SKIP = {"leaf", "trusted_operators_claim", "cluster_tls_timeout", "cluster_cluster_port", "cluster_auth_timeout",
        "gateway_port", "gateway_auth_timeout", "gateway_tls_timeout", "gateway_connect_retries"}
LABEL_KEYS = {"server_id", "server_name", "version", "domain", "leader", "name", "start", "config_load_time"}
RFC3339 = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?(Z|[+-]\d{2}:\d{2})$")


def fq_name(path):
    fqn = "_".join(path).replace("/", "_").strip("_")
    while "__" in fqn:
        fqn = fqn.replace("__", "_")
    return fqn


def walk(doc, namespace, endpoint, prefix, out):
    for key, v in doc.items():
        path = prefix + [key]
        fqn = fq_name(path)
        if fqn in SKIP or fqn in out:
            continue
        name = "_".join(p for p in (namespace, endpoint, fqn) if p)
        # JSON numbers only: booleans are not numbers to Go's decoder.
        if isinstance(v, (int, float)) and not isinstance(v, bool):
            out[fqn] = {"name": name, "labels": ["server_id"], "help": fqn}
        elif isinstance(v, str) and key in LABEL_KEYS:
            labels = ["server_id"] if RFC3339.match(v) else ["server_id", "value"]
            out[fqn] = {"name": name, "labels": labels, "help": fqn}
        elif isinstance(v, dict):
            walk(v, namespace, endpoint, path, out)


namespace, endpoint, path = sys.argv[1], sys.argv[2], sys.argv[3]
with open(path) as f:
    document = json.load(f)
metrics = {}
walk(document, namespace, endpoint, [], metrics)
json.dump(sorted(metrics.values(), key=lambda m: m["name"]), sys.stdout)
