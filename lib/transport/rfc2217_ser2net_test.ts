/**
 * The RFC 2217 client against ser2net from Debian (`apt-get install ser2net`), serving a pty the
 * test owns: bytes both ways, baud changes reaching the pty's termios, and DTR/RTS on a device
 * without modem lines (ser2net never acknowledges SET-CONTROL there). Skipped where ser2net or
 * ptys are missing.
 */

import assert from "node:assert/strict";
import { PtyPair } from "./serial/pty_pair.ts";
import { openTransport } from "./open.ts";
import type { TransportEvent } from "./transport_event.ts";
import type { Transport } from "./types.ts";
import { SER2NET, startSer2net } from "../../tests/support/ser2net.ts";

async function readN(t: Transport, count: number): Promise<Uint8Array> {
  const reader = t.readable.getReader();
  const out: number[] = [];
  while (out.length < count) {
    const { value, done } = await reader.read();
    if (done) break;
    out.push(...value);
  }
  reader.releaseLock();
  return new Uint8Array(out);
}

Deno.test({
  name: "rfc2217 against ser2net: bytes both ways, baud changes reach the pty, DTR/RTS do not hang",
  ignore: SER2NET === undefined,
  async fn() {
    const dir = await Deno.makeTempDir({ prefix: "nodeflash-ser2net-" });
    const pty = PtyPair.open();
    const { port, stop } = await startSer2net(pty.slavePath, dir);
    const events: TransportEvent[] = [];
    try {
      const t = await openTransport(`rfc2217://127.0.0.1:${port}`, {
        baudRate: 74880,
        onEvent: (e) => events.push(e),
      });
      assert.equal(pty.baudRate(), 74880);

      // Host -> device, 0xFF and SLIP bytes included, and enough to cross TCP segments.
      const out = new Uint8Array(64 * 1024);
      for (let i = 0; i < out.length; i++) out[i] = (i * 7) & 0xff;
      out.set([0xc0, 0xdb, 0xff, 0xff, 0x0d, 0x0a], 0);
      await t.write(out);
      assert.deepEqual(await pty.readExactly(out.length), out);

      // Device -> host.
      const back = new Uint8Array([0xc0, 0x01, 0xff, 0x00, 0xff, 0xff, 0xc0]);
      await pty.write(back);
      assert.deepEqual(await readN(t, back.length), back);

      await t.setBaudRate(921600);
      assert.equal(pty.baudRate(), 921600);
      await t.setBaudRate(115200);
      assert.equal(pty.baudRate(), 115200);

      // ser2net cannot drive the pty's (absent) modem lines and never acknowledges: one timeout,
      // then the client stops waiting and says so.
      await t.setSignals({ dtr: false, rts: true });
      await t.setSignals({ dtr: false, rts: false });
      assert.equal(t.info.modemLines, false);
      assert.equal(events.filter((e) => e.type === "no-modem-lines").length, 1);

      // PURGE-DATA is acknowledged (no timeout) and the stream goes on. Bytes that were already
      // inside ser2net's pipeline may still arrive after the acknowledgement (RFC 2217 does not
      // order them), so only the in-test server checks that pre-ack data is dropped.
      await pty.write(new TextEncoder().encode("boot noise"));
      await t.discardInput();
      assert.deepEqual(
        events.filter((e) => e.type === "ack-timeout" && e.option === "purge-data"),
        [],
      );
      await pty.write(new Uint8Array([0x42]));
      const reader = t.readable.getReader();
      const seen: number[] = [];
      while (!seen.includes(0x42)) {
        const { value, done } = await reader.read();
        if (done) break;
        seen.push(...value);
      }
      reader.releaseLock();
      assert.equal(seen.at(-1), 0x42);
      await t.close();
    } finally {
      await stop();
      pty.close();
      await Deno.remove(dir, { recursive: true });
    }
  },
});
