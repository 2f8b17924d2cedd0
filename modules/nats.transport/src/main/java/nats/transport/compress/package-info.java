/**
 * The S2 stream format (klauspost/compress, a superset of Snappy's framing) that Go 2.10 speaks on compressed
 * routes and leaf node connections: an encoder and a decoder that plug into a link's channel.
 */
package nats.transport.compress;
