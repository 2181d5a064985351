import assert from "node:assert/strict";
import {
  encodeNegotiation,
  encodeSubnegotiation,
  escapeIac,
  TelnetDecoder,
  type TelnetItem,
} from "./telnet.ts";

function decodeAll(chunks: number[][]): TelnetItem[] {
  const d = new TelnetDecoder();
  const items = chunks.flatMap((c) => d.feed(new Uint8Array(c)));
  // Merge adjacent data for comparison: chunking must not change the content.
  const merged: TelnetItem[] = [];
  for (const item of items) {
    const last = merged.at(-1);
    if (item.type === "data" && last?.type === "data") {
      merged[merged.length - 1] = {
        type: "data",
        bytes: new Uint8Array([...last.bytes, ...item.bytes]),
      };
    } else merged.push(item);
  }
  return merged;
}

const STREAM = [
  0x41,
  0xff,
  0xff,
  0x42, // data with an escaped 0xFF
  0xff,
  0xfb,
  0x2c, // WILL 44
  0xff,
  0xfa,
  0x2c,
  0x65,
  0x00,
  0x01,
  0xff,
  0xff,
  0xff,
  0xf0, // SB 44 101 0 1 255 SE
  0xff,
  0xf1, // NOP
  0xc0, // data
];

Deno.test("telnet decoder: data, negotiation, subnegotiation with escaped 0xFF, commands", () => {
  assert.deepEqual(decodeAll([STREAM]), [
    { type: "data", bytes: new Uint8Array([0x41, 0xff, 0x42]) },
    { type: "negotiation", verb: "WILL", option: 44 },
    { type: "subnegotiation", option: 44, payload: new Uint8Array([101, 0, 1, 255]) },
    { type: "command", code: 241 },
    { type: "data", bytes: new Uint8Array([0xc0]) },
  ]);
});

Deno.test("telnet decoder: any split of the stream gives the same result", () => {
  const whole = decodeAll([STREAM]);
  for (let cut = 1; cut < STREAM.length; cut++) {
    assert.deepEqual(decodeAll([STREAM.slice(0, cut), STREAM.slice(cut)]), whole, `cut at ${cut}`);
  }
  assert.deepEqual(decodeAll(STREAM.map((b) => [b])), whole, "byte by byte");
});

Deno.test("telnet encoders: escaping and commands round-trip through the decoder", () => {
  const data = new Uint8Array(256).map((_, i) => i);
  const escaped = escapeIac(data);
  assert.equal(escaped.length, 257);
  assert.deepEqual(decodeAll([[...escaped]]), [{ type: "data", bytes: data }]);
  const same = new Uint8Array([1, 2, 3]);
  assert.equal(escapeIac(same), same, "nothing to escape: no copy");
  assert.deepEqual(encodeNegotiation("DONT", 1), new Uint8Array([255, 254, 1]));
  const sb = encodeSubnegotiation(44, new Uint8Array([1, 0, 0, 0xff, 0xff]));
  assert.deepEqual(decodeAll([[...sb]]), [
    { type: "subnegotiation", option: 44, payload: new Uint8Array([1, 0, 0, 0xff, 0xff]) },
  ]);
});
