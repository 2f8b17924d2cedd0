// nats.js 3 against the server at NATS_URL: streams, publish acks, consumers, KV and object store.
import { test } from "node:test";
import assert from "node:assert/strict";
import { connect } from "@nats-io/transport-node";
import { jetstream, jetstreamManager, AckPolicy, DeliverPolicy } from "@nats-io/jetstream";
import { Kvm } from "@nats-io/kv";
import { Objm } from "@nats-io/obj";

const url = process.env.NATS_URL;
const enc = new TextEncoder();
const dec = new TextDecoder();

async function withConnection(fn) {
  const nc = await connect({ servers: url, maxReconnectAttempts: 0 });
  try {
    await fn(nc);
  } finally {
    await nc.close();
  }
}

test("streams and publish acks", async () => {
  await withConnection(async (nc) => {
    const jsm = await jetstreamManager(nc);
    const si = await jsm.streams.add({ name: "NODE", subjects: ["node.>"] });
    assert.equal(si.config.name, "NODE");
    const js = jetstream(nc);
    for (let i = 1; i <= 5; i++) {
      const pa = await js.publish("node.a", enc.encode(`m${i}`));
      assert.equal(pa.stream, "NODE");
      assert.equal(pa.seq, i);
      assert.equal(pa.duplicate, false);
    }
    const dup = await js.publish("node.a", enc.encode("x"), { msgID: "id1" });
    const dup2 = await js.publish("node.a", enc.encode("x"), { msgID: "id1" });
    assert.equal(dup2.seq, dup.seq);
    assert.equal(dup2.duplicate, true);
    await assert.rejects(js.publish("node.a", enc.encode("x"), { expect: { lastSequence: 1 } }),
      /wrong last sequence: 6/);
    const info = await jsm.streams.info("NODE");
    assert.equal(info.state.messages, 6);
    const names = [];
    for await (const n of jsm.streams.names()) {
      names.push(n);
    }
    assert.deepEqual(names, ["NODE"]);
    const m = await jsm.streams.getMessage("NODE", { seq: 2 });
    assert.equal(dec.decode(m.data), "m2");
  });
});

test("pull consumer: fetch, consume and acks", async () => {
  await withConnection(async (nc) => {
    const jsm = await jetstreamManager(nc);
    await jsm.streams.add({ name: "PULL", subjects: ["pull.*"] });
    const js = jetstream(nc);
    for (let i = 0; i < 20; i++) {
      await js.publish("pull.x", enc.encode(`v${i}`));
    }
    await jsm.consumers.add("PULL", { durable_name: "w", ack_policy: AckPolicy.Explicit });
    const c = await js.consumers.get("PULL", "w");
    const batch = await c.fetch({ max_messages: 10, expires: 2000 });
    const got = [];
    for await (const m of batch) {
      got.push(dec.decode(m.data));
      m.ack();
    }
    assert.equal(got.length, 10);
    assert.equal(got[0], "v0");
    const seen = [];
    const messages = await c.consume({ max_messages: 5 });
    for await (const m of messages) {
      seen.push(m.seq);
      m.ack();
      if (seen.length === 10) {
        break;
      }
    }
    assert.equal(seen[9], 20);
    const ci = await c.info();
    assert.equal(ci.delivered.stream_seq, 20);
  });
});

test("ordered consumer", async () => {
  await withConnection(async (nc) => {
    const jsm = await jetstreamManager(nc);
    await jsm.streams.add({ name: "ORD", subjects: ["ord.*"] });
    const js = jetstream(nc);
    for (let i = 0; i < 30; i++) {
      await js.publish(`ord.${i % 3}`, enc.encode(`${i}`));
    }
    const c = await js.consumers.get("ORD", { deliver_policy: DeliverPolicy.All });
    const iter = await c.consume();
    let n = 0;
    for await (const m of iter) {
      assert.equal(dec.decode(m.data), `${n}`);
      n++;
      if (n === 30) {
        break;
      }
    }
  });
});

test("kv: put, get, history, watch, delete", async () => {
  await withConnection(async (nc) => {
    const kvm = new Kvm(nc);
    const kv = await kvm.create("nodekv", { history: 5 });
    assert.equal(await kv.put("a", enc.encode("1")), 1);
    assert.equal(await kv.put("a", enc.encode("2")), 2);
    const e = await kv.get("a");
    assert.equal(dec.decode(e.value), "2");
    assert.equal(e.revision, 2);
    const hist = [];
    for await (const h of await kv.history({ key: "a" })) {
      hist.push(dec.decode(h.value));
    }
    assert.deepEqual(hist, ["1", "2"]);
    await assert.rejects(kv.create("a", enc.encode("x")));
    const watched = [];
    const w = await kv.watch({ key: "b" });
    const done = (async () => {
      for await (const x of w) {
        watched.push(dec.decode(x.value));
        if (watched.length === 2) {
          break;
        }
      }
    })();
    await kv.put("b", enc.encode("first"));
    await kv.put("b", enc.encode("second"));
    await done;
    assert.deepEqual(watched, ["first", "second"]);
    await kv.delete("a");
    assert.equal((await kv.get("a")).operation, "DEL");
    const keys = [];
    for await (const k of await kv.keys()) {
      keys.push(k);
    }
    assert.deepEqual(keys, ["b"]);
  });
});

test("object store: put and get a multi-chunk object", async () => {
  await withConnection(async (nc) => {
    const objm = new Objm(nc);
    const os = await objm.create("nodeobj");
    const data = new Uint8Array(300_000);
    for (let i = 0; i < data.length; i++) {
      data[i] = i % 251;
    }
    const info = await os.putBlob({ name: "blob" }, data);
    assert.equal(info.size, data.length);
    const back = await os.getBlob("blob");
    assert.deepEqual(back, data);
    const list = await os.list();
    assert.deepEqual(list.map((i) => i.name), ["blob"]);
    await os.delete("blob");
    assert.equal(await os.getBlob("blob"), null);
  });
});
