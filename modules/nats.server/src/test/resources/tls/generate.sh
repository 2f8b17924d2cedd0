#!/bin/sh
# Regenerates the TLS test fixtures (run once; the output is committed). Needs OpenSSL 3.
# Certificates are valid from 2000 to 2100, so tests do not depend on the clock of the machine.
set -eu
cd "$(dirname "$0")"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# "openssl ca" is the tool that can set notBefore; it needs a small database and a config.
cat > "$work/ca.cnf" <<CNF
[ca]
default_ca = test
[test]
database = $work/index.txt
new_certs_dir = $work
serial = $work/serial
default_md = sha256
policy = any
preserve = yes
unique_subject = no
[any]
organizationName = optional
organizationalUnitName = optional
commonName = supplied
[ca_ext]
basicConstraints = critical,CA:true
keyUsage = critical,keyCertSign,cRLSign
subjectKeyIdentifier = hash
[server_ext]
subjectAltName = DNS:localhost,IP:127.0.0.1
extendedKeyUsage = serverAuth
[client_ext]
subjectAltName = email:alice@example.com
extendedKeyUsage = clientAuth
CNF
: > "$work/index.txt"
echo 01 > "$work/serial"

# sign CSR CA_CERT CA_KEY EXTENSIONS OUT (CA_CERT "self" signs the CSR with its own key)
sign() {
  if [ "$2" = self ]; then issuer="-selfsign"; else issuer="-cert $2"; fi
  # shellcheck disable=SC2086
  openssl ca -batch -notext -config "$work/ca.cnf" $issuer -keyfile "$3" -in "$1" -extensions "$4" \
    -startdate 20000101000000Z -enddate 21000101000000Z -out "$5" 2>/dev/null
}

# Certificate authority (RSA) that signs the server and client certificates.
openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out ca-key.pem
openssl req -new -key ca-key.pem -subj "/O=jnatsd test/CN=jnatsd test CA" -out "$work/ca.csr"
sign "$work/ca.csr" self ca-key.pem ca_ext ca.pem

# Server certificate with an RSA key, valid for localhost and 127.0.0.1. The key is kept in two forms:
# PKCS#8 ("BEGIN PRIVATE KEY") and PKCS#1 ("BEGIN RSA PRIVATE KEY").
openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out server-key.pem
openssl pkey -in server-key.pem -traditional -out server-key-pkcs1.pem
openssl req -new -key server-key.pem -subj "/O=jnatsd test/CN=localhost" -out "$work/server.csr"
sign "$work/server.csr" ca.pem ca-key.pem server_ext server-cert.pem

# Server certificate with an EC (P-256) key, as SEC1 ("BEGIN EC PRIVATE KEY", after an "EC PARAMETERS"
# block, as "openssl ecparam -genkey" writes it) and as PKCS#8.
openssl ecparam -name prime256v1 -genkey -out server-ec-key-sec1.pem
openssl pkcs8 -topk8 -nocrypt -in server-ec-key-sec1.pem -out server-ec-key.pem
openssl req -new -key server-ec-key.pem -subj "/O=jnatsd test/CN=localhost" -out "$work/server-ec.csr"
sign "$work/server-ec.csr" ca.pem ca-key.pem server_ext server-ec-cert.pem

# The RSA server key encrypted with the password "secret" (PKCS#8 and legacy PEM encryption), which the
# server must refuse.
openssl pkey -in server-key.pem -aes256 -passout pass:secret -out server-key-encrypted.pem
openssl pkey -in server-key.pem -traditional -aes256 -passout pass:secret -out server-key-encrypted-pkcs1.pem

# Client certificate for verify/verify_and_map: a subject and an e-mail address to map to a user.
openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out client-key.pem
openssl req -new -key client-key.pem -subj "/O=jnatsd test/OU=clients/CN=alice" -out "$work/client.csr"
sign "$work/client.csr" ca.pem ca-key.pem client_ext client-cert.pem

# A client certificate from a CA the server does not trust.
openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out "$work/other-ca-key.pem"
openssl req -new -key "$work/other-ca-key.pem" -subj "/CN=untrusted CA" -out "$work/other-ca.csr"
sign "$work/other-ca.csr" self "$work/other-ca-key.pem" ca_ext other-ca.pem
openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out untrusted-client-key.pem
openssl req -new -key untrusted-client-key.pem -subj "/CN=mallory" -out "$work/untrusted.csr"
sign "$work/untrusted.csr" other-ca.pem "$work/other-ca-key.pem" client_ext untrusted-client-cert.pem
