import assert from "node:assert/strict";
import { openTcp } from "./tcp.ts";

Deno.test("tcp: raw bytes both ways (0xFF untouched), no modem lines, baud only recorded", async () => {
  const server = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const accepted = server.accept();
  const t = await openTcp("127.0.0.1", server.addr.port);
  const peer = await accepted;
  await t.write(new Uint8Array([0xff, 0xc0, 0x00]));
  const buf = new Uint8Array(8);
  let got = 0;
  while (got < 3) got += (await peer.read(buf.subarray(got))) ?? 0;
  assert.deepEqual(buf.subarray(0, 3), new Uint8Array([0xff, 0xc0, 0x00]));
  await peer.write(new Uint8Array([0xff, 0xff]));
  const reader = t.readable.getReader();
  const out: number[] = [];
  while (out.length < 2) out.push(...(await reader.read()).value!);
  assert.deepEqual(out, [0xff, 0xff]);
  await t.setSignals({ dtr: true, rts: true });
  await t.setBaudRate(921600);
  assert.equal(t.baudRate, 921600);
  assert.equal(t.info.modemLines, false);
  await t.drain();
  // The peer hangs up: the pending read fails with port/disconnected.
  const pending = reader.read();
  peer.close();
  await assert.rejects(pending, { code: "port/disconnected" });
  await assert.rejects(t.write(new Uint8Array([1])), { code: "port/disconnected" });
  await t.close();
  server.close();
});

Deno.test("tcp: close ends a pending read and later writes say port/closed", async () => {
  const server = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const accepted = server.accept();
  const t = await openTcp("127.0.0.1", server.addr.port);
  const peer = await accepted;
  const pending = t.readable.getReader().read();
  await t.close();
  assert.deepEqual(await pending, { value: undefined, done: true });
  await assert.rejects(t.write(new Uint8Array([1])), { code: "port/closed" });
  peer.close();
  server.close();
});
