"""Parses a Prometheus text exposition (stdin) with the reference parser (python3-prometheus-client) and prints
its families as JSON: name, type, help, and samples with their labels and values (non-finite values as text).
A syntax error makes the parser raise, and this script exit non-zero with the parser's message."""
import json
import math
import sys

from prometheus_client.parser import text_string_to_metric_families


def value(v):
    return v if math.isfinite(v) else str(v)


families = []
for family in text_string_to_metric_families(sys.stdin.read()):
    families.append({
        "name": family.name,
        "type": family.type,
        "help": family.documentation,
        "samples": [{"name": s.name, "labels": s.labels, "value": value(s.value)} for s in family.samples],
    })
json.dump(families, sys.stdout)
