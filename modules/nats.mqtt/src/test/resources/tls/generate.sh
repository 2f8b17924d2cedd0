#!/usr/bin/env bash
# Test-only TLS fixtures for the MQTT listener (mqtts): a CA, a server certificate for localhost/127.0.0.1
# and a client certificate (CN=mqttclient). Made once and committed; rerun to replace them. Never use elsewhere.
set -euo pipefail
cd "$(dirname "$0")"
days=36500
openssl req -x509 -newkey rsa:2048 -nodes -keyout ca-key.pem -out ca.pem -days $days -subj "/CN=jnatsd mqtt test CA" 2>/dev/null
openssl req -newkey rsa:2048 -nodes -keyout server-key.pem -out server.csr -subj "/CN=localhost" 2>/dev/null
printf 'subjectAltName=DNS:localhost,IP:127.0.0.1\nextendedKeyUsage=serverAuth\n' > server.ext
openssl x509 -req -in server.csr -CA ca.pem -CAkey ca-key.pem -CAcreateserial -out server-cert.pem -days $days -extfile server.ext 2>/dev/null
openssl req -newkey rsa:2048 -nodes -keyout client-key.pem -out client.csr -subj "/CN=mqttclient" 2>/dev/null
printf 'extendedKeyUsage=clientAuth\n' > client.ext
openssl x509 -req -in client.csr -CA ca.pem -CAkey ca-key.pem -CAcreateserial -out client-cert.pem -days $days -extfile client.ext 2>/dev/null
rm -f server.csr client.csr server.ext client.ext ca.srl
