import assert from "node:assert/strict";
import { efuseWordsFor } from "./efuse.ts";
// The flasher's decoder: an independent implementation of the same documented rules.
import { chipIdFromEfuses, chipVariant, macFromEfuses } from "../chip/identity.ts";

/** The documented OUI/NIC rules of docs/protocol.md §5.3, written out in the test. */
function decodeMac(w: readonly number[]): number[] {
  const [w0, w1, , w3] = w as [number, number, number, number];
  let oui: number[];
  if (w3 !== 0) oui = [(w3 >>> 16) & 0xff, (w3 >>> 8) & 0xff, w3 & 0xff];
  else if (((w1 >>> 16) & 0xff) === 0) oui = [0x18, 0xfe, 0x34];
  else if (((w1 >>> 16) & 0xff) === 1) oui = [0xac, 0xd0, 0x74];
  else throw new Error("Unknown OUI");
  return [...oui, (w1 >>> 8) & 0xff, w1 & 0xff, (w0 >>> 24) & 0xff];
}

const MACS = [
  [0x5c, 0xcf, 0x7f, 0x12, 0x34, 0x56],
  [0x60, 0x01, 0x94, 0x23, 0xb4, 0xa6],
  [0x18, 0xfe, 0x34, 0x01, 0x02, 0x03],
  [0xac, 0xd0, 0x74, 0xff, 0xee, 0xdd],
];

Deno.test("efuse words decode back to the MAC (documented rules and the flasher's decoder)", () => {
  for (const mac of MACS) {
    const w = efuseWordsFor(new Uint8Array(mac), { seed: 3 });
    assert.deepEqual(decodeMac(w), mac);
    assert.deepEqual([...macFromEfuses(w)], mac);
    const selector = mac[0] === 0xac ? 1 : 0; // the old-OUI selector byte is part of the chip id
    assert.equal(
      chipIdFromEfuses(w),
      (mac[5]! | (mac[4]! << 8) | (mac[3]! << 16) | (selector << 24)) >>> 0,
    );
    assert.equal(chipVariant(w).variant, "ESP8266EX");
  }
});

Deno.test("ESP8285 bits give the embedded flash size esptool reports", () => {
  const mac = new Uint8Array(MACS[0]!);
  const cases: Array<[number, string, string | undefined]> = [
    [1 << 20, "ESP8285N08", "1MB"],
    [2 << 20, "ESP8285N16", "2MB"],
    [4 << 20, "ESP8285", "4MB"],
    [8 << 20, "ESP8285", undefined],
  ];
  for (const [flashBytes, description, embedded] of cases) {
    const w = efuseWordsFor(mac, { chip: "esp8285", flashBytes });
    const v = chipVariant(w);
    assert.equal(v.variant, "ESP8285", `${flashBytes}`);
    assert.equal(v.description, description);
    assert.equal(v.embeddedFlash, embedded);
    assert.deepEqual([...macFromEfuses(w)], [...mac]);
  }
});

Deno.test("an all-zero OUI cannot be stored", () => {
  assert.throws(() => efuseWordsFor(new Uint8Array([0, 0, 0, 1, 2, 3])), { code: "sim/mac" });
  assert.throws(() => efuseWordsFor(new Uint8Array(5)), RangeError);
});
