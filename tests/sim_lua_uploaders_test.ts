/**
 * The upload protocols of the established tools (docs/lua-side.md#other-uploaders), spoken to the
 * simulated board as those tools speak them, written here from their descriptions: NodeMCU-Tool's
 * base64 lines (a helper decodes with `encoder.fromBase64` and writes; the host waits for the
 * prompt after each line) and nodemcu-uploader's raw blocks (`uart.on("data", …, 0)`, one
 * acknowledged 130-byte block at a time). Both deliver every byte; hosts that do not wait lose
 * bytes (lib/sim/nodemcu_runtime_test.ts).
 */

import assert from "node:assert/strict";
import { Buffer } from "node:buffer";
import { withNodemcu } from "./support/nodemcu_board.ts";

const WITH_ENCODER = {
  version: "3.0.0.0",
  releaseDts: "202102010000",
  modules: ["encoder", "file", "node", "tmr", "uart"],
};
const payload = Uint8Array.from({ length: 3000 }, (_, i) => (i * 7 + (i >> 8)) & 0xff);

Deno.test("uploaders: base64 lines paced by the prompt deliver a binary file intact", async () => {
  await withNodemcu(async (t) => {
    await t.run("function __put(s) file.write(encoder.fromBase64(s)) end");
    assert.equal(await t.run('print(file.open("up.bin", "w+"))'), "file.obj: 1\r\n");
    const b64 = Buffer.from(payload).toString("base64");
    for (let i = 0; i < b64.length; i += 232) {
      assert.equal(await t.run(`__put("${b64.slice(i, i + 232)}")`), "");
    }
    await t.run("file.flush() file.close()");
    assert.deepEqual(t.board.nodemcu!.fs!.read("up.bin"), payload);
    assert.equal(t.board.nodemcu!.runtime!.droppedBytes, 0);
  }, { banner: WITH_ENCODER });
});

Deno.test("uploaders: raw acknowledged blocks through uart.on deliver every byte value", async () => {
  await withNodemcu(async (t) => {
    // The board side: a name ended by NUL, then blocks of 0x01, a length and 128 bytes padded to
    // 130; each is acknowledged with 0x06; an empty block ends the file.
    // (Each line under 255 characters: a longer one would lose its start.)
    const helper = [
      "function recv()",
      "  uart.on('data', '\\0', function(name)",
      "    local f = file.open(name:sub(1, -2), 'w')",
      "    uart.on('data', 130, function(b)",
      "      local n = b:byte(2)",
      "      if n == 0 then f:close() uart.on('data') uart.write(0, '\\6') return end",
      "      f:write(b:sub(3, 2 + n)) uart.write(0, '\\6')",
      "    end, 0)",
      "    uart.write(0, '\\6')",
      "  end, 0)",
      "  uart.write(0, 'C')",
      "end",
    ];
    for (const line of helper) await t.run(line);
    t.tap.clear();
    t.tap.type("recv()\n");
    await t.tap.until("C> ");
    const acks = () => [...t.tap.text].filter((c) => c === "\x06").length;
    const send = async (bytes: Uint8Array) => {
      const before = acks();
      t.board.receive(bytes, 115200);
      while (acks() === before) {
        await t.tap.until("\x06").then(() => new Promise((r) => setTimeout(r, 0)));
      }
    };
    await send(new TextEncoder().encode("raw.bin\0"));
    for (let i = 0; i < payload.length + 128; i += 128) {
      const data = payload.subarray(i, i + 128);
      const block = new Uint8Array(130);
      block.set([1, data.length]);
      block.set(data, 2);
      await send(block);
    }
    assert.deepEqual(t.board.nodemcu!.fs!.read("raw.bin"), payload);
    assert.equal(await t.run("=1"), "1\r\n", "the REPL is back");
  });
});
