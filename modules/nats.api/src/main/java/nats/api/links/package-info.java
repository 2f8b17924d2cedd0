/**
 * Links to other servers (routes, gateways, leaf nodes): the remote interest a link registers in an account,
 * the messages the kernel hands a link (once per message, with its origin and the queue groups it was chosen
 * for), the messages a link injects, and the local interest a link announces to the other side.
 *
 * @since API 2.2
 */
package nats.api.links;
