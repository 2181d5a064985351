import assert from "node:assert/strict";
import { deviceError } from "../errors.ts";
import { createMemoryLink } from "../transport/memory.ts";
import { wrapTransport } from "../transport/wrap_transport.ts";
import type { Transport } from "../transport/types.ts";
import { ConsoleCapture } from "./console_capture.ts";
import type { SmokeEvent } from "./smoke_event.ts";

const enc = (s: string) => new TextEncoder().encode(s);

Deno.test("capture keeps every byte, in order, and reports each chunk with the host's rate", async () => {
  const sent: string[] = [];
  const link = createMemoryLink({ receive: (b) => sent.push(new TextDecoder().decode(b)) });
  const events: SmokeEvent[] = [];
  const capture = new ConsoleCapture(link.transport, { onEvent: (e) => events.push(e) });
  try {
    link.deliver(new Uint8Array([0xf0, 0x00]));
    assert.equal(await capture.read(50), "data");
    await capture.setBaud(74880, "test");
    link.deliver(enc("ets"));
    assert.equal(await capture.read(50), "data");
    assert.equal(await capture.read(5), "timeout");
    assert.equal(capture.text, "\u00f0\u0000ets");
    assert.deepEqual(capture.bytes(), new Uint8Array([0xf0, 0, 0x65, 0x74, 0x73]));
    assert.equal(capture.textSince(2), "ets");
    await capture.send("\r\n");
    assert.deepEqual(sent, ["\r\n"]);
    assert.deepEqual(
      events.map((e) => e.type === "bytes" ? `bytes@${e.baud}` : e.type),
      ["bytes@115200", "baud", "bytes@74880", "sent"],
    );
  } finally {
    capture.release();
    await link.transport.close();
  }
});

Deno.test("a rate the adapter refuses is reported, not thrown", async () => {
  const link = createMemoryLink({ receive: () => {} });
  const picky: Transport = wrapTransport(link.transport, {
    setBaudRate: (baud: number) =>
      baud === 74880
        ? Promise.reject(deviceError("port/baud", "74880 is not supported"))
        : link.transport.setBaudRate(baud),
  });
  const events: SmokeEvent[] = [];
  const capture = new ConsoleCapture(picky, { onEvent: (e) => events.push(e) });
  try {
    assert.equal(await capture.setBaud(74880, "rom"), false);
    assert.equal(await capture.setBaud(115200, "console"), true);
    assert.deepEqual(events.map((e) => e.type === "baud" && [e.baud, e.ok]), [
      [74880, false],
      [115200, true],
    ]);
    assert.match(events[0]?.type === "baud" ? events[0].reason : "", /74880 is not supported/);
  } finally {
    capture.release();
    await link.transport.close();
  }
});

Deno.test("the port closing ends reads; release hands the stream back", async () => {
  const link = createMemoryLink({ receive: () => {} });
  const capture = new ConsoleCapture(link.transport);
  assert.equal(await capture.read(5), "timeout");
  capture.release();
  link.deliver(enc("later"));
  const reader = link.transport.readable.getReader();
  assert.equal(new TextDecoder().decode((await reader.read()).value), "later");
  reader.releaseLock();
  const again = new ConsoleCapture(link.transport);
  await link.transport.close();
  assert.equal(await again.read(50), "ended");
  again.release();
});
