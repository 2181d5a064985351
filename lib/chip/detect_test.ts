import assert from "node:assert/strict";
import { checkEsp8266, identifyChip } from "./detect.ts";
import { Connection } from "../protocol/connection.ts";
import { createMemoryLink } from "../transport/memory.ts";
import { slipEncode } from "../bytes/slip.ts";
import { isNodeflashError } from "../errors.ts";
import { readU32, u32le } from "../bytes/little_endian.ts";

/** A peer that answers READ_REG from a register map, with `statusBytes` status bytes (4 on ESP32 ROMs). */
function registerPeer(regs: Record<number, number>, statusBytes = 2) {
  const link = createMemoryLink({
    receive(bytes) {
      // requests arrive one frame per write: C0 00 0A 04 00 <chk 4> <addr 4> C0
      const address = readU32(bytes, 9);
      const reply = new Uint8Array(8 + statusBytes);
      reply.set([0x01, 0x0a, statusBytes, 0x00]);
      reply.set(u32le(regs[address] ?? 0), 4);
      link.deliver(slipEncode(reply));
    },
  });
  return link;
}

Deno.test("an ESP32 is named, and refused with a hint", async () => {
  const link = registerPeer({ 0x40001000: 0x00f01d83 }, 4);
  const conn = new Connection(link.transport);
  await assert.rejects(checkEsp8266(conn), (e: unknown) => {
    assert.ok(isNodeflashError(e));
    assert.equal(e.code, "chip/not-esp8266");
    assert.match(e.message, /is an ESP32; nodeflash flashes the ESP8266 and ESP8285/);
    assert.match(e.hint ?? "", /esptool/);
    return true;
  });
  await link.transport.close();
});

Deno.test("an unknown magic value is shown in hex", async () => {
  const link = registerPeer({ 0x40001000: 0x12345678 });
  await assert.rejects(checkEsp8266(new Connection(link.transport)), /magic 0x12345678/);
  await link.transport.close();
});

Deno.test("identifyChip decodes the documented efuse example and the crystal", async () => {
  // protocol.md §5.3: word0 0xA6160000, word1 0x020023B4, word3 0x00600194 -> 60:01:94:23:b4:a6
  const link = registerPeer({
    0x40001000: 0xfff0c101,
    0x3ff00050: 0xa6160000,
    0x3ff00054: 0x020023b4,
    0x3ff00058: 0,
    0x3ff0005c: 0x00600194,
    0x60000014: 452,
  });
  const chip = await identifyChip(new Connection(link.transport));
  assert.equal(chip.mac, "60:01:94:23:b4:a6");
  assert.equal(chip.chipId, 0x0023b4a6);
  assert.equal(chip.variant, "ESP8266EX");
  assert.equal(chip.crystalMhz, 26);
  await link.transport.close();
});
