import assert from "node:assert/strict";
import { slipEncode } from "../bytes/slip.ts";
import { openSimTransport } from "./open_sim_transport.ts";
import { le, requestPacket } from "./testing.ts";

Deno.test("sim:// opens a fresh board per call; the transport talks to it", async () => {
  const url = "sim://?mac=5c:cf:7f:aa:bb:cc&boot=download";
  const a = await openSimTransport(url, { baudRate: 115200 });
  const b = await openSimTransport("sim://");
  assert.notEqual(a.board, b.board);
  assert.equal(b.board.state, "halted", "a devkit with erased flash: the ROM found no image");
  assert.deepEqual(a.info, { url, kind: "sim", modemLines: true });
  const reader = a.readable.getReader();
  await a.write(slipEncode(requestPacket(0x0a, le(0x3ff00050))));
  const { value } = await reader.read();
  // reply frame: C0, header (value = eFuse word 0 at offset 4), status, C0; word 0's top byte = last MAC byte
  assert.equal(value?.[8], 0xcc);
  await a.discardInput();
  await a.drain();
  assert.equal(a.baudRate, 115200);
  reader.releaseLock();
  await a.close();
  await b.close();
});

Deno.test("sim:// with a flash file keeps the flash across opens; bad URLs reject", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const url = `sim://?flash-size=1MB&flash-file=${encodeURIComponent(`${dir}/b.bin`)}`;
    const first = await openSimTransport(url);
    first.board.flash.program(0x1000, new Uint8Array([0x12]));
    await first.close();
    const second = await openSimTransport(url);
    assert.equal(second.board.flash.read(0x1000, 1)[0], 0x12);
    await second.close();
    await assert.rejects(openSimTransport("sim://?nope=1"), { code: "sim/url" });
    await assert.rejects(openSimTransport("sim://?flash-size=7MB"), { code: "input/flash-size" });
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
