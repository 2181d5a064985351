import assert from "node:assert/strict";
import { DO, escapeIac, IAC, SB, SE, subnegotiation, TelnetDecoder, WILL } from "./telnet_codec.ts";

Deno.test("TelnetDecoder: negotiation, subnegotiation with doubled IAC, split anywhere", () => {
  const wire = new Uint8Array([
    0x41,
    IAC,
    WILL,
    44,
    IAC,
    SB,
    44,
    1,
    0,
    IAC,
    IAC,
    0,
    0,
    IAC,
    SE,
    0x42,
    IAC,
    IAC,
    IAC,
    0xf1,
    0x43,
  ]);
  const expected = [
    { type: "data", bytes: new Uint8Array([0x41]) },
    { type: "negotiate", command: WILL, option: 44 },
    { type: "subnegotiation", option: 44, payload: new Uint8Array([1, 0, 0xff, 0, 0]) },
    { type: "data", bytes: new Uint8Array([0x42, 0xff]) },
    { type: "command", command: 0xf1 },
    { type: "data", bytes: new Uint8Array([0x43]) },
  ];
  assert.deepEqual(new TelnetDecoder().push(wire), expected);
  const d = new TelnetDecoder();
  const events = [...wire].flatMap((b) => d.push(new Uint8Array([b])));
  const merged = events.filter((e) => e.type !== "data");
  assert.deepEqual(merged, expected.filter((e) => e.type !== "data"));
  const data = events.flatMap((e) => (e.type === "data" ? [...e.bytes] : []));
  assert.deepEqual(data, [0x41, 0x42, 0xff, 0x43]);
});

Deno.test("escapeIac and subnegotiation double 0xFF", () => {
  assert.deepEqual([...escapeIac(new Uint8Array([0xff, 0xff]))], [0xff, 0xff, 0xff, 0xff]);
  const same = new Uint8Array([1, 2]);
  assert.equal(escapeIac(same), same);
  assert.deepEqual([...subnegotiation(44, new Uint8Array([1, 0xff]))], [
    IAC,
    SB,
    44,
    1,
    0xff,
    0xff,
    IAC,
    SE,
  ]);
  assert.equal(DO, 0xfd);
});
