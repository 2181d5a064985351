import assert from "node:assert/strict";
import { SlipDecoder, SlipDecoderStream, slipEncode, type SlipEvent } from "./slip.ts";

const frames = (events: SlipEvent[]) =>
  events.filter((e) => e.type === "frame").map((e) => Array.from(e.data));

Deno.test("slipEncode escapes C0 and DB and frames with C0", () => {
  assert.deepEqual(
    Array.from(slipEncode(new Uint8Array([0xc0, 0x01, 0xdb, 0xdc, 0xdd]))),
    [0xc0, 0xdb, 0xdc, 0x01, 0xdb, 0xdd, 0xdc, 0xdd, 0xc0],
  );
  assert.deepEqual(Array.from(slipEncode(new Uint8Array(0))), [0xc0, 0xc0]);
});

Deno.test("decoder: back-to-back frames, escapes split across chunks, garbage reported", () => {
  const d = new SlipDecoder();
  const events = [
    ...d.push(new Uint8Array([0x72, 0x20, 0xc0, 0x01, 0xdb])),
    ...d.push(new Uint8Array([0xdc, 0x02, 0xc0, 0xc0, 0x03, 0xc0])),
  ];
  assert.deepEqual(events[0], { type: "garbage", data: new Uint8Array([0x72, 0x20]) });
  assert.deepEqual(frames(events), [[0x01, 0xc0, 0x02], [0x03]]);
});

Deno.test("decoder: an invalid escape drops that frame only", () => {
  const d = new SlipDecoder();
  const events = d.push(new Uint8Array([0xc0, 0x01, 0xdb, 0x41, 0x02, 0xc0, 0xc0, 0x09, 0xc0]));
  assert.equal(events[0]?.type, "invalid");
  assert.deepEqual(frames(events), [[0x09]]);
});

Deno.test("decoder: an escape byte right before the closing C0 is invalid, not a frame", () => {
  const d = new SlipDecoder();
  const events = d.push(new Uint8Array([0xc0, 0x05, 0xdb, 0xc0]));
  assert.deepEqual(events.map((e) => e.type), ["invalid"]);
});

Deno.test("decoder: oversize frames are dropped and reported", () => {
  const d = new SlipDecoder({ maxFrameLength: 4 });
  const events = d.push(new Uint8Array([0xc0, 1, 2, 3, 4, 5, 6, 0xc0, 0xc0, 7, 0xc0]));
  assert.deepEqual(events.map((e) => e.type), ["invalid", "frame"]);
  assert.equal(events[0]?.type === "invalid" && events[0].reason, "oversize");
});

/** A small deterministic PRNG (mulberry32) so the fuzz test is reproducible. */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

Deno.test("fuzz: random frames cut at random points all come back intact", async () => {
  for (let seed = 1; seed <= 40; seed++) {
    const rand = rng(seed);
    const sent: Uint8Array[] = [];
    const wire: number[] = [];
    for (let i = 0; i < 30; i++) {
      const len = Math.floor(rand() * 300);
      const frame = new Uint8Array(len);
      // bias towards the special bytes so escapes are common
      for (let j = 0; j < len; j++) {
        const r = rand();
        frame[j] = r < 0.15 ? 0xc0 : r < 0.3 ? 0xdb : Math.floor(rand() * 256);
      }
      if (len === 0) continue;
      sent.push(frame);
      wire.push(...slipEncode(frame));
    }
    const chunks: Uint8Array[] = [];
    for (let i = 0; i < wire.length;) {
      const n = 1 + Math.floor(rand() * 40);
      chunks.push(new Uint8Array(wire.slice(i, i + n)));
      i += n;
    }
    const events = await Array.fromAsync(
      ReadableStream.from(chunks).pipeThrough(new SlipDecoderStream()),
    );
    assert.deepEqual(
      events.map((e) => e.type === "frame" ? Array.from(e.data) : e.type),
      sent.map((f) => Array.from(f)),
      `seed ${seed}`,
    );
  }
});

Deno.test("fuzz: garbage never throws and frames after it survive", () => {
  for (let seed = 100; seed < 140; seed++) {
    const rand = rng(seed);
    const d = new SlipDecoder({ maxFrameLength: 512 });
    const junk = new Uint8Array(2000).map(() => Math.floor(rand() * 256));
    d.push(junk);
    // a run of C0s resynchronises the decoder whatever state the junk left it in
    const good = new Uint8Array([0x10, 0xdb, 0x20]);
    const events = d.push(new Uint8Array([0xc0, 0xc0, ...slipEncode(good)]));
    const last = events.filter((e) => e.type === "frame").at(-1);
    assert.deepEqual(last?.data, good, `seed ${seed}`);
  }
});
