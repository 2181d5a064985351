/**
 * nodeflash's RFC 2217 client against the simulator's RFC 2217 server (the one behind
 * `nodeflash sim --rfc2217`, started in-process here so the test can watch the board): line
 * changes and baud rates arrive at the board, and bytes holding 0xFF (the telnet escape) arrive
 * intact.
 */

import assert from "node:assert/strict";
import { openTransport } from "../lib/transport/open.ts";
import { startSimServer } from "../lib/sim/mod.ts";
import type { SimEvent } from "../lib/sim/mod.ts";

Deno.test("DTR/RTS and baud changes from the RFC 2217 client arrive at the simulated board", async () => {
  const server = await startSimServer({ kind: "rfc2217" });
  const seen: SimEvent[] = [];
  const off = server.board.on((e) => seen.push(e));
  try {
    const t = await openTransport(server.url, { baudRate: 115200 });
    try {
      assert.equal(t.info.modemLines, true);
      for (
        const s of [
          { dtr: true, rts: false },
          { dtr: false, rts: true },
          { dtr: true, rts: true },
          { dtr: false, rts: false },
        ]
      ) {
        await t.setSignals(s);
        await t.drain();
        // the server applies the change when it reads the command: wait for it to show
        for (
          let i = 0;
          i < 100 && JSON.stringify(server.board.signals) !== JSON.stringify(s);
          i++
        ) {
          await new Promise((r) => setTimeout(r, 5));
        }
        assert.deepEqual(server.board.signals, s);
      }
      await t.setBaudRate(460800);
      const sawBaud = () => seen.some((e) => e.type === "baud" && e.hostBaud === 460800);
      for (let i = 0; i < 100 && !sawBaud(); i++) await new Promise((r) => setTimeout(r, 5));
      assert.ok(sawBaud(), "the board saw the host's new rate");
      await t.setBaudRate(115200);
      const payload = new Uint8Array([0xff, 0x41, 0xff, 0xff, 0xf0, 0x00]);
      await t.write(payload);
      const received = () => {
        const rx = seen.filter((e) => e.type === "rx").flatMap((e) =>
          e.type === "rx" ? [...e.bytes] : []
        );
        return rx.join(",").includes(payload.join(","));
      };
      for (let i = 0; i < 100 && !received(); i++) await new Promise((r) => setTimeout(r, 5));
      assert.ok(received(), "0xFF bytes arrive unescaped at the board");
    } finally {
      await t.close();
    }
  } finally {
    off();
    await server.close();
  }
});
