import assert from "node:assert/strict";
import { SlipDecoder, slipEncode } from "../bytes/slip.ts";
import { fromHex } from "../bytes/hex.ts";
import { createMemoryLink } from "../transport/memory.ts";
import { Connection } from "./connection.ts";
import { syncOnce } from "./sync.ts";

const ROM_REPLY = slipEncode(fromHex("01 08 02 00 07 07 12 20 00 00"));
const STUB_REPLY = slipEncode(fromHex("01 08 02 00 00 00 00 00 00 00"));

/** A peer that answers every SYNC frame it receives with `replies(n)` (n counts SYNCs from 1). */
function peer(replies: (n: number) => Uint8Array[]) {
  const decoder = new SlipDecoder();
  let syncs = 0;
  const link = createMemoryLink({
    receive: (bytes) => {
      for (const e of decoder.push(bytes)) {
        if (e.type === "frame" && e.data[0] === 0 && e.data[1] === 0x08) {
          for (const r of replies(++syncs)) link.deliver(r);
        }
      }
    },
  });
  return { link, syncs: () => syncs };
}

Deno.test("syncOnce: the ROM's 8 replies", async () => {
  const { link } = peer(() => Array(8).fill(ROM_REPLY));
  const result = await syncOnce(new Connection(link.transport));
  assert.deepEqual(result, { replies: 8, stubRunning: false });
  await link.transport.close();
});

Deno.test("syncOnce: replies lost on the line still make a sync, with their count", async () => {
  for (const count of [1, 3, 7]) {
    const { link } = peer(() => Array(count).fill(ROM_REPLY));
    const result = await syncOnce(new Connection(link.transport), { moreRepliesMs: 30 });
    assert.deepEqual(result, { replies: count, stubRunning: false }, `${count} replies`);
    await link.transport.close();
  }
});

Deno.test("syncOnce: a stub's zero-valued replies say a stub is running", async () => {
  const { link } = peer(() => Array(8).fill(STUB_REPLY));
  const result = await syncOnce(new Connection(link.transport));
  assert.deepEqual(result, { replies: 8, stubRunning: true });
  await link.transport.close();
});

Deno.test("syncOnce: a console echoing the request is reported, and is no sync", async () => {
  let echoes = 0;
  // NodeMCU's console echoes every byte it gets, SLIP delimiters included.
  const link = createMemoryLink({ receive: (bytes) => link.deliver(bytes) });
  const conn = new Connection(link.transport);
  assert.equal(await syncOnce(conn, { onEcho: () => echoes++ }), null);
  assert.equal(echoes, 1);
  // with the leading C0 the echo is still recognised
  assert.equal(await syncOnce(conn, { leadingEnd: true, onEcho: () => echoes++ }), null);
  assert.equal(echoes, 2);
  await link.transport.close();
});

Deno.test("syncOnce: an echo through a console's line discipline is still recognised", async () => {
  let echoes = 0;
  // NodeMCU answers a backspace (0x08, SYNC's opcode) with "\b \b" and echoes the rest
  const link = createMemoryLink({
    receive: (bytes) =>
      link.deliver(Uint8Array.from([...bytes].flatMap((b) => b === 0x08 ? [8, 0x20, 8] : [b]))),
  });
  assert.equal(await syncOnce(new Connection(link.transport), { onEcho: () => echoes++ }), null);
  assert.equal(echoes, 1);
  await link.transport.close();
});

Deno.test("syncOnce: an echo followed by real replies is a sync (an echoing adapter in front of the ROM)", async () => {
  let echoes = 0;
  const link = createMemoryLink({
    receive: (bytes) => {
      link.deliver(bytes);
      for (let i = 0; i < 8; i++) link.deliver(ROM_REPLY);
    },
  });
  const result = await syncOnce(new Connection(link.transport), { onEcho: () => echoes++ });
  assert.deepEqual(result, { replies: 8, stubRunning: false });
  assert.equal(echoes, 1);
  await link.transport.close();
});

Deno.test("syncOnce: silence and a failure status are no sync; other replies are skipped", async () => {
  const silent = peer(() => []);
  const started = performance.now();
  assert.equal(await syncOnce(new Connection(silent.link.transport), { firstReplyMs: 60 }), null);
  assert.ok(performance.now() - started >= 55, "waited for the first reply");
  assert.equal(silent.syncs(), 1);
  await silent.link.transport.close();

  const failed = peer(() => [slipEncode(fromHex("01 08 02 00 00 00 00 00 01 05"))]);
  assert.equal(await syncOnce(new Connection(failed.link.transport)), null);
  await failed.link.transport.close();

  // a late READ_REG answer before the SYNC replies does not count as one
  const late = peer(() => [
    slipEncode(fromHex("01 0a 02 00 01 c1 f0 ff 00 00")),
    ...Array(8).fill(ROM_REPLY),
  ]);
  const result = await syncOnce(new Connection(late.link.transport));
  assert.deepEqual(result, { replies: 8, stubRunning: false });
  await late.link.transport.close();
});
