import assert from "node:assert/strict";
import { Op } from "../protocol/opcodes.ts";
import { SAVE_DELAY_MS, SimBoard } from "./board.ts";
import type { BoardProgram } from "./device.ts";
import type { SimEvent } from "./sim_event.ts";
import { KNOWN_STUBS } from "./stub_table.ts";
import { buildImage } from "../testing/build_image.ts";
import { le, SimTestHost, SYNC_DATA } from "./testing.ts";

Deno.test("board: power-on state, hardware reset, and the latched boot mode for software resets", async () => {
  const events: SimEvent[] = [];
  const board = new SimBoard({ onEvent: (e) => events.push(e), bootMode: "download" });
  assert.equal(board.state, "download");
  board.startStub(KNOWN_STUBS[0]!);
  assert.equal(board.state, "stub");
  board.reset({ mode: "flash" });
  assert.equal(board.state, "halted", "erased flash: the ROM finds no image");
  board.device.softReset();
  assert.equal(board.state, "halted", "latched: flash");
  board.reset({ mode: "download" });
  board.startStub(KNOWN_STUBS[0]!);
  board.device.softReset();
  assert.equal(board.state, "download", "latched: download");
  assert.deepEqual(
    events.filter((e) => e.type === "state").map((e) => e.type === "state" && e.state),
    ["download", "stub", "halted", "halted", "download", "stub", "download"],
  );
  assert.deepEqual(
    events.flatMap((e) => (e.type === "boot" ? [`${e.kind}:${e.cause}:${e.mode}`] : [])),
    [
      "power-on:1:download",
      "external:2:flash",
      "software:2:flash",
      "external:2:download",
      "software:2:download",
    ],
  );
  await board.close();
});

Deno.test("board: a devkit powers up booting its firmware; power cycles release the lines", async () => {
  const board = new SimBoard();
  assert.equal(board.state, "halted", "devkit, erased flash: ROM boot from flash, ets_main.c");
  assert.deepEqual(board.lastReset, { cause: 1, kind: "power-on", mode: "flash" });
  board.setSignals({ dtr: true, rts: false });
  board.powerCycle();
  assert.deepEqual(board.signals, { dtr: false, rts: false });
  assert.equal(board.lastReset.mode, "flash", "a replugged cable: the lines come back released");
  board.flashButton("down");
  board.powerCycle();
  board.flashButton("up");
  assert.deepEqual([board.state, board.lastReset.cause], ["download", 1]);
  await board.close();
});

Deno.test("board: a reset clears RAM and SPI registers but not the flash", async () => {
  const board = new SimBoard({ flashSize: "1MB" });
  board.bus.write32(0x3ffe8000, 5);
  board.bus.write32(0x6000021c, 0x90000000);
  board.flash.program(0, new Uint8Array([1]));
  board.reset({ mode: "download" });
  assert.deepEqual([
    board.bus.read32(0x3ffe8000),
    board.bus.read32(0x6000021c),
    board.flash.read(0, 1)[0],
  ], [0, 0, 1]);
  await board.close();
});

Deno.test("board: the firmware program hook runs on FLASH_END(1) once its console is up", async () => {
  const seen: number[] = [];
  const app: BoardProgram = {
    state: "app",
    receive: (b) => seen.push(...b),
    idle: () => Promise.resolve(),
    stop() {},
  };
  const flashContents = new Uint8Array(4 << 20).fill(0xff);
  flashContents.set(buildImage({ segments: [{ address: 0x40100000, data: new Uint8Array(8) }] }));
  const board = new SimBoard({ app: () => app, bootMode: "download", flashContents });
  const host = new SimTestHost(board);
  await host.command(Op.FLASH_END, le(1));
  assert.equal(board.state, "app");
  await board.idle();
  assert.equal(Math.round(board.uart.boardBaud / 100), 1153, "the console runs at 115200");
  host.sendRaw(new Uint8Array([0x0d, 0x0a]));
  assert.deepEqual(seen, [0x0d, 0x0a]);
  board.setSignals({ dtr: true, rts: false });
  assert.deepEqual(board.signals, { dtr: true, rts: false });
  assert.equal(board.state, "app", "GPIO0 low alone resets nothing");
  board.setBaudRate(74880);
  assert.equal(board.uart.hostBaud, 74880);
  await board.close();
});

Deno.test("board: one host at a time; a detached board keeps running and stays silent", async () => {
  const board = new SimBoard({ bootMode: "download" });
  const a: number[] = [];
  const b: number[] = [];
  board.attachHost((x) => a.push(...x), "a");
  board.attachHost((x) => b.push(...x), "b");
  board.receive(new Uint8Array([0xc0, 0, 0x0a, 4, 0, 0, 0, 0, 0, 0, 0x10, 0, 0x40, 0xc0]), 115200);
  await board.idle();
  assert.deepEqual([a.length > 0, b.length > 0], [false, true]);
  board.detachHost();
  board.receive(new Uint8Array([0xc0, 0, 0x0a, 4, 0, 0, 0, 0, 0, 0, 0x10, 0, 0x40, 0xc0]));
  await board.idle();
  assert.equal(board.log.entries.length, 2, "the board answered, nobody listened");
  await board.close();
  await board.close();
  board.receive(new Uint8Array([0xc0]));
});

Deno.test("board: a backing file is saved after a write burst, at FLASH_END and on close", async () => {
  const dir = await Deno.makeTempDir();
  const path = `${dir}/f.bin`;
  try {
    const board = new SimBoard({ flashSize: "1MB", flashFile: path, bootMode: "download" });
    const saved: number[] = [];
    board.on((e) => e.type === "flash-saved" && saved.push(e.sectors));
    const host = new SimTestHost(board);
    await host.command(Op.FLASH_BEGIN, le(0x1000, 1, 0x400, 0x10000));
    assert.deepEqual(saved, [2], "FLASH_BEGIN erased 2 sectors (ROM bug) and saved");
    const burstSaved = new Promise<void>((resolve) => {
      const off = board.on((e) => e.type === "flash-saved" && (off(), resolve()));
    });
    board.flash.program(0x20000, new Uint8Array([7]));
    assert.equal(
      (await Deno.readFile(path))[0x20000],
      0xff,
      `not yet (saved ${SAVE_DELAY_MS} ms later)`,
    );
    await burstSaved; // the debounce timer fired with no FLASH_END
    assert.equal((await Deno.readFile(path))[0x20000], 7, "end of the burst");
    board.flash.program(0x30000, new Uint8Array([8]));
    await board.close();
    assert.equal((await Deno.readFile(path))[0x30000], 8, "on close");
    const again = new SimBoard({ flashSize: "1MB", flashFile: path });
    assert.equal(again.flash.read(0x30000, 1)[0], 8, "kept between runs");
    await again.close();
    assert.throws(() => new SimBoard({ flashSize: "2MB", flashFile: path }), {
      code: "sim/flash-file-size",
    });
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("board: events carry the bytes both ways and every command", async () => {
  const board = new SimBoard({ bootMode: "download" });
  const events: SimEvent[] = [];
  board.on((e) => events.push(e));
  const host = new SimTestHost(board);
  await host.command(Op.SYNC, SYNC_DATA);
  const kinds = events.map((e) => e.type);
  assert.equal(kinds.filter((k) => k === "rx").length, 1);
  assert.equal(kinds.filter((k) => k === "tx").length, 8);
  assert.equal(kinds.filter((k) => k === "command").length, 1);
  await board.close();
});

Deno.test("board: a USB bridge asked for more than it can do runs at its fastest", async () => {
  const board = new SimBoard({ bridgeMaxBaud: 460800 });
  try {
    board.setBaudRate(460800);
    assert.equal(board.uart.hostBaud, 460800);
    board.setBaudRate(921600);
    assert.equal(board.uart.hostBaud, 460800, "it runs at its fastest, whatever the host thinks");
  } finally {
    await board.close();
  }
});
