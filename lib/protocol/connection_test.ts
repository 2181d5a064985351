import assert from "node:assert/strict";
import { Connection, prepareRequest, type TraceEvent } from "./connection.ts";
import { dataRequest, readRegRequest, runUserCodeRequest } from "./requests.ts";
import { Op } from "./opcodes.ts";
import { createMemoryLink } from "../transport/memory.ts";
import { slipEncode } from "../bytes/slip.ts";
import { fromHex } from "../bytes/hex.ts";
import { isNodeflashError } from "../errors.ts";

const frame = (hex: string) => slipEncode(fromHex(hex));

function scripted(respond: (bytes: Uint8Array) => Uint8Array[]) {
  const link = createMemoryLink({
    receive: (bytes) => {
      for (const out of respond(bytes)) link.deliver(out);
    },
  });
  return link;
}

Deno.test("command skips stale frames and boot text, keeps the text as garbage", async () => {
  const link = scripted(() => [
    new TextEncoder().encode("\r\n ets Jan  8 2013,rst cause:2, boot mode:(3,6)\r\n"),
    frame("01 08 02 00 07 07 12 20 00 00"), // a late SYNC reply
    frame("01 0a 02 00 01 c1 f0 ff 00 00"),
  ]);
  const trace: TraceEvent[] = [];
  const conn = new Connection(link.transport, { onTrace: (e) => trace.push(e) });
  const reply = await conn.command(readRegRequest(0x40001000));
  assert.equal(reply.value, 0xfff0c101);
  assert.match(new TextDecoder().decode(conn.garbage), /boot mode:\(3,6\)/);
  assert.deepEqual(trace.map((t) => t.direction), ["out", "in-garbage", "in", "in"]);
  await link.transport.close();
});

Deno.test("command throws the decoded status error, or returns it with check: false", async () => {
  const link = scripted(() => [frame("01 0a 02 00 00 00 00 00 01 05")]);
  const conn = new Connection(link.transport);
  await assert.rejects(conn.command(readRegRequest(0)), (e: unknown) => {
    assert.ok(isNodeflashError(e));
    assert.equal(e.code, "rom/invalid-message");
    assert.equal(e.message, "READ_REG failed: received message is invalid (0x05)");
    return true;
  });
  const reply = await conn.command(readRegRequest(0), { check: false });
  assert.equal(reply.status.failed, true);
  await link.transport.close();
});

Deno.test("a missing reply times out with the command's name", async () => {
  const link = scripted(() => []);
  const conn = new Connection(link.transport);
  await assert.rejects(
    conn.command(readRegRequest(0), { timeoutMs: 30 }),
    /No reply to READ_REG within 30 ms on memory:/,
  );
  await link.transport.close();
});

Deno.test("a reply that arrives after a timeout is not lost for the next read", async () => {
  const link = scripted(() => []);
  const conn = new Connection(link.transport);
  assert.equal(await conn.readFrame(20), null);
  link.deliver(frame("01 0a 02 00 2a 00 00 00 00 00"));
  const f = await conn.readFrame(100);
  assert.equal(f?.[4], 0x2a);
  await link.transport.close();
});

Deno.test("flushInput drops what arrived, a closed port is reported", async () => {
  const link = scripted(() => []);
  const conn = new Connection(link.transport);
  link.deliver(frame("01 0a 02 00 2a 00 00 00 00 00"));
  await conn.flushInput();
  assert.equal(await conn.readFrame(20), null);
  await link.transport.close();
  await assert.rejects(conn.readFrame(100), /was closed/);
});

Deno.test("RUN_USER_CODE must be sent without waiting, and command() refuses it before writing", async () => {
  const written: Uint8Array[] = [];
  const link = scripted((bytes) => {
    written.push(bytes);
    return [];
  });
  const conn = new Connection(link.transport);
  await assert.rejects(conn.command(runUserCodeRequest()), TypeError);
  assert.deepEqual(written, [], "nothing reached the board");
  await conn.send(runUserCodeRequest());
  assert.equal(written.length > 0, true, "send() writes it");
  await link.transport.close();
});

Deno.test("a vanished device fails the pending read with port/disconnected", async () => {
  const link = scripted(() => []);
  const conn = new Connection(link.transport);
  const pending = conn.readFrame(1000);
  link.hangUp();
  await assert.rejects(
    pending,
    (e: unknown) => isNodeflashError(e) && e.code === "port/disconnected",
  );
});

Deno.test("meanwhile runs once the request is written, before the reply is taken", async () => {
  const order: string[] = [];
  const link = scripted(() => {
    order.push("written");
    return [frame("01 0a 02 00 01 c1 f0 ff 00 00")];
  });
  const conn = new Connection(link.transport);
  const reply = await conn.command(readRegRequest(0x40001000), {
    meanwhile: () => order.push("meanwhile"),
  });
  order.push("reply");
  assert.equal(reply.value, 0xfff0c101);
  assert.deepEqual(order, ["written", "meanwhile", "reply"]);
  await link.transport.close();
});

Deno.test("a prepared request goes out byte for byte as the same request unprepared", async () => {
  const written: Uint8Array[] = [];
  const link = scripted((bytes) => {
    written.push(bytes.slice());
    return [];
  });
  const trace: TraceEvent[] = [];
  const conn = new Connection(link.transport, { onTrace: (e) => trace.push(e) });
  const block = new Uint8Array(300).map((_, i) => (i * 7) & 0xff); // holds C0 and DB bytes
  await conn.send(dataRequest(Op.FLASH_DATA, 3, block));
  await conn.send(prepareRequest(dataRequest(Op.FLASH_DATA, 3, block)));
  assert.equal(written.length, 2);
  assert.deepEqual(written[1], written[0]);
  assert.deepEqual(trace[1], trace[0], "the trace shows the same packet");
  await link.transport.close();
});
