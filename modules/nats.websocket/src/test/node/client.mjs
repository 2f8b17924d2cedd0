// A Node.js NATS client over WebSocket (the nats.ws package, with the ws package as Node's WebSocket):
// subscribes, publishes, makes a request to a responder of its own, and prints what it saw as one JSON line.
// Usage: node client.mjs ws://127.0.0.1:PORT
import WebSocket from "ws";
import { connect, StringCodec } from "nats.ws";

globalThis.WebSocket = WebSocket;
const url = process.argv[2];
const sc = StringCodec();
const nc = await connect({ servers: url, timeout: 5000 });
const sub = nc.subscribe("node.>", { max: 2 });
const got = [];
const received = (async () => {
  for await (const m of sub) {
    got.push(m.subject + ":" + sc.decode(m.data));
  }
})();
nc.subscribe("node.svc", {
  callback: (err, m) => m.respond(sc.encode("re:" + sc.decode(m.data))),
});
await nc.flush();
nc.publish("node.a", sc.encode("one"));
nc.publish("node.b", sc.encode("x".repeat(3000)));
nc.publish("from.node", sc.encode("hello java"));
const reply = await nc.request("node.svc", sc.encode("ping"), { timeout: 5000 });
await received;
console.log(JSON.stringify({
  got: got.map((g) => g.length > 40 ? g.substring(0, 10) + "...(" + g.length + ")" : g),
  reply: sc.decode(reply.data),
  headers: nc.info.headers === true,
}));
await nc.close();
