import assert from "node:assert/strict";
import { slipEncode } from "../bytes/slip.ts";
import { SimBoard } from "./board.ts";
import { buildImage } from "../testing/build_image.ts";
import { startTcpServer } from "./tcp_server.ts";
import { le, requestPacket, SYNC_DATA } from "./testing.ts";

async function readAtLeast(conn: Deno.Conn, n: number): Promise<Uint8Array> {
  const out: number[] = [];
  const buf = new Uint8Array(4096);
  while (out.length < n) {
    const got = await conn.read(buf);
    if (got === null) break;
    out.push(...buf.subarray(0, got));
  }
  return new Uint8Array(out);
}

Deno.test("raw TCP: bytes pass unchanged; the board's state survives a disconnect", async () => {
  const flashContents = new Uint8Array(4 << 20).fill(0xff);
  flashContents.set(buildImage({ segments: [{ address: 0x40100000, data: new Uint8Array(64) }] }));
  const board = new SimBoard({ bootMode: "download", flashContents });
  const server = startTcpServer(board);
  const a = await Deno.connect({ hostname: server.hostname, port: server.port });
  await a.write(slipEncode(requestPacket(0x08, SYNC_DATA)));
  assert.equal((await readAtLeast(a, 96)).length, 96);
  assert.equal(board.uart.hostBaud, undefined, "no baud on a raw socket");
  await a.write(slipEncode(requestPacket(0x0a, le(0x40001000))));
  const reply = await readAtLeast(a, 12);
  assert.deepEqual([...reply.subarray(5, 9)], [0x01, 0xc1, 0xf0, 0xff]);
  await a.write(slipEncode(requestPacket(0x04, le(1))));
  await readAtLeast(a, 12);
  a.close();
  assert.equal(board.state, "app");
  let b: Deno.TcpConn | undefined;
  for (let i = 0; i < 50 && b === undefined; i++) {
    const c = await Deno.connect({ hostname: server.hostname, port: server.port });
    await c.write(new Uint8Array([0x0d, 0x0a]));
    await board.idle();
    if (server.served === 2) b = c;
    else {
      c.close();
      await new Promise((r) => setTimeout(r, 10));
    }
  }
  assert.equal(board.state, "app", "still running the firmware for the next client");
  b?.close();
  await server.close();
  await board.close();
});
