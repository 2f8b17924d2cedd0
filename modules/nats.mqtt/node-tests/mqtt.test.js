// MQTT.js (protocol 3.1.1) against jnatsd: run by MqttJsTest with MQTT_URL set (and MQTT_WS_URL for the same
// scenarios over WebSocket).
import { test } from "node:test";
import assert from "node:assert/strict";
import mqtt from "mqtt";

const urls = [["tcp", process.env.MQTT_URL]];
if (process.env.MQTT_WS_URL) {
  urls.push(["ws", process.env.MQTT_WS_URL]);
}

function connect(url, clientId, clean = true, extra = {}) {
  return new Promise((resolve, reject) => {
    const client = mqtt.connect(url, { clientId, clean, protocolVersion: 4, reconnectPeriod: 0, connectTimeout: 5000, ...extra });
    // Messages are collected from the start: one may arrive right behind the CONNACK.
    client.received = [];
    client.waiters = [];
    client.on("message", (topic, payload, packet) => {
      client.received.push({ topic, payload: payload.toString(), qos: packet.qos, retain: packet.retain });
      client.waiters.forEach((w) => w());
    });
    client.once("connect", (connack) => resolve({ client, connack }));
    client.once("error", reject);
  });
}

// Resolves with the next `count` messages, or rejects after the timeout.
function nextMessages(client, count, millis = 5000) {
  return new Promise((resolve, reject) => {
    const check = () => {
      if (client.received.length >= count) {
        clearTimeout(timer);
        client.waiters = client.waiters.filter((w) => w !== check);
        resolve(client.received.splice(0, count));
      }
    };
    const timer = setTimeout(() => reject(new Error(`got ${client.received.length} of ${count} messages`)), millis);
    client.waiters.push(check);
    check();
  });
}

for (const [kind, url] of urls) {
  const id = (name) => `${kind}-${name}`;

  test(`${kind}: QoS 0, 1 and 2 end to end`, async () => {
    const { client: sub } = await connect(url, id("sub"));
    const { client: pub } = await connect(url, id("pub"));
    for (const qos of [0, 1, 2]) {
      const granted = await sub.subscribeAsync(`js/${kind}/q${qos}`, { qos });
      assert.equal(granted[0].qos, qos, `granted QoS ${qos}`);
    }
    const arriving = nextMessages(sub, 3);
    for (const qos of [0, 1, 2]) {
      await pub.publishAsync(`js/${kind}/q${qos}`, `m${qos}`, { qos });
    }
    const got = (await arriving).sort((a, b) => a.qos - b.qos);
    assert.deepEqual(got.map((m) => [m.topic, m.payload, m.qos]),
      [[`js/${kind}/q0`, "m0", 0], [`js/${kind}/q1`, "m1", 1], [`js/${kind}/q2`, "m2", 2]]);
    await sub.endAsync();
    await pub.endAsync();
  });

  test(`${kind}: wildcards`, async () => {
    const { client: sub } = await connect(url, id("wsub"));
    const { client: pub } = await connect(url, id("wpub"));
    await sub.subscribeAsync([`wc/${kind}/+/x`, `deep/${kind}/#`], { qos: 1 });
    const arriving = nextMessages(sub, 3);
    await pub.publishAsync(`wc/${kind}/a/x`, "1", { qos: 1 });
    await pub.publishAsync(`wc/${kind}/a/y`, "no", { qos: 1 });
    await pub.publishAsync(`deep/${kind}`, "2", { qos: 1 });
    await pub.publishAsync(`deep/${kind}/a/b/c`, "3", { qos: 1 });
    const got = (await arriving).map((m) => `${m.topic}=${m.payload}`).sort();
    assert.deepEqual(got, [`deep/${kind}/a/b/c=3`, `deep/${kind}=2`, `wc/${kind}/a/x=1`].sort());
    await sub.endAsync();
    await pub.endAsync();
  });

  test(`${kind}: retained messages reach later subscribers`, async () => {
    const { client: pub } = await connect(url, id("rpub"));
    await pub.publishAsync(`ret/${kind}`, "kept", { qos: 1, retain: true });
    await pub.endAsync();
    const { client: sub } = await connect(url, id("rsub"));
    const arriving = nextMessages(sub, 1);
    await sub.subscribeAsync(`ret/${kind}`, { qos: 1 });
    const [m] = await arriving;
    assert.equal(m.payload, "kept");
    assert.equal(m.retain, true, "RETAIN set on a retained message sent to a new subscription");
    await sub.endAsync();
  });

  test(`${kind}: a will on an abnormal end`, async () => {
    const { client: watcher } = await connect(url, id("watch"));
    await watcher.subscribeAsync(`will/${kind}`, { qos: 1 });
    const { client: doomed } = await connect(url, id("doomed"), true,
      { will: { topic: `will/${kind}`, payload: "gone", qos: 1, retain: false } });
    const arriving = nextMessages(watcher, 1);
    doomed.stream.destroy();
    const [m] = await arriving;
    assert.equal(m.payload, "gone");
    doomed.end(true);
    await watcher.endAsync();
  });

  test(`${kind}: a persistent session keeps QoS 1 messages while away`, async () => {
    const { client: first } = await connect(url, id("persist"), false);
    await first.subscribeAsync(`persist/${kind}`, { qos: 1 });
    await first.endAsync();
    const { client: pub } = await connect(url, id("ppub"));
    await pub.publishAsync(`persist/${kind}`, "while-away", { qos: 1 });
    await pub.endAsync();
    const { client: again, connack } = await connect(url, id("persist"), false);
    assert.equal(connack.sessionPresent, true, "session present");
    const [m] = await nextMessages(again, 1);
    assert.equal(m.payload, "while-away");
    await again.endAsync();
  });
}
