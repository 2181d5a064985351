/**
 * Each fault of faults.ts on a whole board, seen the way a host sees it.
 */

import assert from "node:assert/strict";
import { Op } from "../protocol/opcodes.ts";
import { SimBoard } from "./board.ts";
import { ConsoleTap } from "./console_tap.ts";
import type { SimEvent } from "./sim_event.ts";
import { connectSimLink } from "./sim_link.ts";
import { KNOWN_STUBS } from "./stub_table.ts";
import { dataPacket, le, SimTestHost } from "./testing.ts";

const magicReply = (board: SimBoard) => new SimTestHost(board).command(Op.READ_REG, le(0x40001000));

Deno.test("fault corrupt: bytes arrive with flipped bits, the same ones for the same seed", async () => {
  const header = "\r\n ets Jan  8 2013,rst cause:2, boot mode:(1,7)\r\n\r\n";
  const heard = async (seed: number) => {
    const board = new SimBoard({ bootMode: "download", faults: "corrupt=0.1", seed });
    const tap = new ConsoleTap(board, { baud: 74880 });
    board.reset({ mode: "download" });
    await board.idle();
    await board.close();
    return tap.text;
  };
  const a = await heard(5);
  assert.equal(a.length, header.length);
  assert.notEqual(a, header);
  const differing = [...a].filter((c, i) => c !== header[i]).length;
  assert.ok(differing >= 1 && differing < header.length / 2, `${differing} bytes hit`);
  assert.equal(await heard(5), a);
  assert.notEqual(await heard(6), a);
});

Deno.test("fault drop: frames are lost on the way (here: every one)", async () => {
  const board = new SimBoard({ bootMode: "download", faults: "drop=1" });
  const injected: string[] = [];
  board.on((e) => e.type === "injected" && injected.push(e.fault));
  assert.deepEqual(await magicReply(board), []);
  assert.equal(board.log.entries.length, 0, "the request never reached the ROM");
  assert.deepEqual(injected, ["drop"]);
  await board.close();
});

Deno.test("fault delay: replies come late, and the model counts the delay", async () => {
  const board = new SimBoard({ bootMode: "download", faults: "delay=200" });
  const tap = new ConsoleTap(board);
  const mark = board.timing.mark();
  tap.type(String.fromCharCode(0xc0, 0, Op.READ_REG, 4, 0, 0, 0, 0, 0, 0, 0x10, 0, 0x40, 0xc0));
  await board.idle();
  assert.equal(tap.bytes.length, 0, "answered, but not here yet");
  await tap.until("\xc1\xf0\xff");
  assert.ok(board.timing.since(mark).floorUs >= 200_000);
  await board.close();
});

Deno.test("fault disconnect: the port goes away after N bytes, as an unplugged adapter", async () => {
  const board = new SimBoard({ bootMode: "download", faults: "disconnect=20" });
  const link = connectSimLink(board);
  const reader = link.transport.readable.getReader();
  await link.transport.write(new Uint8Array(12).fill(0x55));
  await link.transport.write(new Uint8Array(12).fill(0x55));
  await board.idle();
  await new Promise((r) => setTimeout(r, 0));
  await assert.rejects(reader.read(), { code: "port/disconnected" });
  await assert.rejects(link.transport.write(new Uint8Array(1)), { code: "port/disconnected" });
  reader.releaseLock();
  await link.transport.close();
  await board.close();
});

Deno.test("fault brownout: the chip resets in the middle of a page, leaving the sector half written", async () => {
  const events: SimEvent[] = [];
  let restarted: () => void = () => {};
  const restart = new Promise<void>((resolve) => restarted = resolve);
  const board = new SimBoard({
    bootMode: "download",
    faults: "brownout=3",
    onEvent: (e) => {
      events.push(e);
      if (e.type === "boot" && events.filter((x) => x.type === "boot").length === 2) restarted();
    },
  });
  const host = new SimTestHost(board);
  board.startStub(KNOWN_STUBS.find((s) => s.family === "legacy")!);
  await host.frames();
  const data = new Uint8Array(0x1000).map((_, i) => (i & 0x7f) | 0x01);
  await host.command(Op.FLASH_BEGIN, le(0x1000, 1, 0x4000, 0x8000));
  await host.exchange(dataPacket(Op.FLASH_DATA, data, 0));
  await restart; // 10 ms later on the board's clock: at once with pace instant
  await board.idle();
  const sector = board.flash.read(0x8000, 0x1000);
  assert.deepEqual(sector.subarray(0, 0x200), data.subarray(0, 0x200), "two pages written");
  assert.deepEqual(sector.subarray(0x200, 0x280), data.subarray(0x200, 0x280), "half the third");
  assert.ok(sector.subarray(0x280).every((b) => b === 0xff), "the rest never");
  const boots = events.flatMap((e) => (e.type === "boot" ? [`${e.kind}:${e.cause}`] : []));
  assert.deepEqual(boots, ["power-on:1", "power-on:1"]);
  assert.ok(events.some((e) => e.type === "injected" && e.fault === "brownout"));
  assert.equal(board.state, "download", "GPIO0 still as it was: back in the loader");
  await board.close();
});

Deno.test("fault noise: random bytes follow the ROM's header in download mode", async () => {
  const noisy = new SimBoard({ bootMode: "download", faults: "noise=32", seed: 4 });
  const tap = new ConsoleTap(noisy, { baud: 74880 });
  noisy.reset({ mode: "download" });
  await noisy.idle();
  const header = "\r\n ets Jan  8 2013,rst cause:2, boot mode:(1,7)\r\n\r\n";
  assert.ok(tap.text.startsWith(header));
  assert.equal(tap.bytes.length, header.length + 32);
  const [sync] = await new SimTestHost(noisy).command(
    Op.SYNC,
    new Uint8Array([7, 7, 0x12, 0x20, ...new Array(32).fill(0x55)]),
  );
  assert.equal(sync?.value, 0x20120707, "the loader answers after the noise");
  await noisy.close();
});

Deno.test("fault brownout-every: a board whose supply cannot hold a page program restarts each time", async () => {
  const board = new SimBoard({ bootMode: "download", faults: "brownout-every=2" });
  const boots: string[] = [];
  board.on((e) => e.type === "boot" && boots.push(`${e.kind}:${e.cause}`));
  const host = new SimTestHost(board);
  for (let round = 0; round < 2; round++) {
    board.startStub(KNOWN_STUBS.find((s) => s.family === "legacy")!);
    await host.frames();
    await host.command(Op.FLASH_BEGIN, le(0x1000, 1, 0x4000, 0x8000));
    await host.exchange(dataPacket(Op.FLASH_DATA, new Uint8Array(0x1000).fill(0x11), 0));
    while (boots.length < round + 1) await board.idle();
  }
  assert.deepEqual(boots, ["power-on:1", "power-on:1"]);
  const sector = board.flash.read(0x8000, 0x200);
  assert.ok(sector.subarray(0, 0x100).every((b) => b === 0x11), "the first page of each try");
  assert.ok(sector.subarray(0x180).every((b) => b === 0xff), "half of the second, never more");
  await board.close();
});

Deno.test("fault unplug: the port goes, the board loses power, and both come back after replug ms", async () => {
  const board = new SimBoard({ bootMode: "download", faults: "unplug=20,replug=50" });
  const plugs: boolean[] = [];
  let back: () => void = () => {};
  const replugged = new Promise<void>((resolve) => back = resolve);
  board.on((e) => e.type === "plug" && plugs.push(e.plugged));
  board.onReplug(() => back());
  const link = connectSimLink(board);
  const reader = link.transport.readable.getReader();
  await link.transport.write(new Uint8Array(24).fill(0x55));
  await assert.rejects(reader.read(), { code: "port/disconnected" });
  assert.equal(board.unplugged, true);
  assert.equal(board.state, "reset", "no power");
  await replugged;
  assert.deepEqual(plugs, [false, true]);
  assert.equal(board.unplugged, false);
  assert.equal(board.lastReset.kind, "power-on");
  reader.releaseLock();
  await link.transport.close();
  await board.close();
});
