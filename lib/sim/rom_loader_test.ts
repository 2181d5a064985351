import assert from "node:assert/strict";
import { withRom } from "./test_boards.ts";
import { Op } from "../protocol/opcodes.ts";
import { buildImage } from "../testing/build_image.ts";
import { SilentProgram } from "./silent_program.ts";
import { efuseWordsFor } from "./efuse.ts";
import { dataPacket, le, requestPacket, type SimTestHost, SYNC_DATA } from "./testing.ts";
import { slipEncode } from "../bytes/slip.ts";

async function readReg(host: SimTestHost, address: number): Promise<number> {
  const [r] = await host.command(Op.READ_REG, le(address));
  assert.deepEqual(r?.status, [0, 0]);
  return r!.value;
}

/** esptool's run_spiflash_command for a read-only command, frame by frame. */
async function spiCommand(host: SimTestHost, cmd: number, readBits: number): Promise<number> {
  const write = (a: number, v: number) => host.command(Op.WRITE_REG, le(a, v, 0xffffffff, 0));
  await write(0x60000220, (readBits - 1) << 8);
  await write(0x6000021c, 0x90000000);
  await write(0x60000224, (7 << 28) | cmd);
  await write(0x60000240, 0);
  await write(0x60000200, 1 << 18);
  assert.equal((await readReg(host, 0x60000200)) & (1 << 18), 0);
  return readReg(host, 0x60000240);
}

Deno.test("ROM: SYNC gets 8 identical replies carrying 0x20120707", () =>
  withRom(async (host) => {
    const replies = await host.command(Op.SYNC, SYNC_DATA);
    assert.equal(replies.length, 8);
    for (const r of replies) {
      assert.deepEqual(
        { op: r.op, size: r.size, value: r.value, status: r.status },
        { op: 8, size: 2, value: 0x20120707, status: [0, 0] },
      );
    }
    const bad = await host.command(Op.SYNC, SYNC_DATA.subarray(0, 35));
    assert.deepEqual(bad.map((r) => r.status), [[1, 5]]);
  }));

Deno.test("ROM: the value field is stale (last READ_REG) on every other reply", () =>
  withRom(async (host) => {
    const w3 = await readReg(host, 0x3ff0005c);
    const [begin] = await host.command(Op.MEM_BEGIN, le(0, 0, 0x1800, 0x3ffe8000));
    assert.equal(begin?.value, w3);
    const [unsupported] = await host.command(0x14);
    assert.equal(unsupported?.value, w3);
    await host.command(Op.SYNC, SYNC_DATA);
    const [after] = await host.command(0x14);
    assert.equal(after?.value, 0x20120707);
  }));

Deno.test("ROM: magic, eFuses for the configured MAC and chip, UART divider for the host baud", async () => {
  const mac = "18:fe:34:aa:bb:cc";
  await withRom(async (host) => {
    assert.equal(await readReg(host, 0x40001000), 0xfff0c101);
    const words = [];
    for (const a of [0x3ff00050, 0x3ff00054, 0x3ff00058, 0x3ff0005c]) {
      words.push(await readReg(host, a));
    }
    assert.deepEqual(words, [
      ...efuseWordsFor(new Uint8Array([0x18, 0xfe, 0x34, 0xaa, 0xbb, 0xcc]), {
        chip: "esp8285",
        flashBytes: 1 << 20,
      }),
    ]);
    assert.equal(await readReg(host, 0x60000014), 452);
    host.setBaud(74880);
    const div = await readReg(host, 0x60000014);
    assert.equal(Math.round((74880 * div) / 1e6 / 2), 26);
  }, { mac, chip: "esp8285" });
});

Deno.test("ROM: WRITE_REG with masks, several entries and delays; RAM reads back", () =>
  withRom(async (host, board) => {
    const [r] = await host.command(
      Op.WRITE_REG,
      new Uint8Array([
        ...le(0x3ffe9000, 0x12345678, 0xffffffff, 0),
        ...le(0x3ffe9000, 0x0000ff00, 0x0000ff00, 500),
      ]),
    );
    assert.deepEqual(r?.status, [0, 0]);
    assert.equal(await readReg(host, 0x3ffe9000), 0x1234ff78);
    // The 500 µs delay passed on the board's clock, besides the wire time of the exchanges.
    const wire = board.timing.counters.wireToBoardUs + board.timing.counters.wireToHostUs;
    assert.ok(board.clock.now() >= 500 && board.clock.now() <= 500 + wire, `${board.clock.now()}`);
    await host.command(Op.WRITE_REG, le(0x3ff00050, 0, 0xffffffff, 0));
    assert.notEqual(await readReg(host, 0x3ff00050), 0, "eFuses are read-only");
    await host.command(Op.WRITE_REG, le(0x60000078, 0, 0, 0));
    assert.equal(await readReg(host, 0x60000078), 0x00062000, "mask 0 changes nothing");
    const [bad] = await host.command(Op.WRITE_REG, le(0x3ffe9000, 1, 0xffffffff));
    assert.deepEqual(bad?.status, [1, 5]);
  }));

Deno.test("ROM: the SPI user-command sequence reads the JEDEC id and SFDP", () =>
  withRom(async (host) => {
    assert.equal(await spiCommand(host, 0x9f, 24), 0x1540ef);
    assert.equal(await spiCommand(host, 0x05, 8) & 0xff, 0);
  }, { flashSize: "2MB" }));

Deno.test("ROM: FLASH_BEGIN erases with the ROM's bug, at aligned and odd offsets", () =>
  withRom(async (host, board) => {
    board.flash.program(0, new Uint8Array(0x200000));
    const begin = async (eraseSize: number, offset: number) => {
      const [r] = await host.command(Op.FLASH_BEGIN, le(eraseSize, 1, 0x400, offset));
      assert.deepEqual(r?.status, [0, 0]);
    };
    const erased = () => [...board.flash.eraseCounts()].flatMap((n, i) => (n > 0 ? [i] : []));
    await begin(0x1000, 0x0);
    assert.deepEqual(erased(), [0, 1], "1 sector asked, 2 erased");
    await begin(19 * 0x1000, 0x23000);
    const sectors = erased().filter((s) => s >= 0x23);
    assert.deepEqual([sectors[0], sectors.length], [0x23, 32], "odd offset: head + request");
    assert.equal(board.flash.read(0x43000, 1)[0], 0, "nothing past the 32 sectors");
    const first = board.flash.eraseCounts();
    const [twenty] = await host.command(Op.FLASH_BEGIN, le(0x1000, 1, 0x400, 0x80000, 0));
    assert.deepEqual([twenty?.op, twenty?.status], [Op.FLASH_BEGIN, [1, 5]]);
    assert.deepEqual(board.flash.eraseCounts(), first, "20-byte form erases nothing");
  }));

Deno.test("ROM: FLASH_DATA checks length, checksum, sequence; writes, reads back, or fails", () =>
  withRom(async (host, board) => {
    const block = (fill: number) => new Uint8Array(0x400).fill(fill);
    const [noBegin] = await host.exchange(dataPacket(Op.FLASH_DATA, block(1), 0));
    assert.deepEqual(noBegin?.status, [1, 5]);
    await host.command(Op.FLASH_BEGIN, le(0x1000, 3, 0x400, 0x1000));
    assert.deepEqual(
      (await host.exchange(dataPacket(Op.FLASH_DATA, block(0x11), 0, { checksum: 0x33 })))[0]
        ?.status,
      [1, 7],
    );
    assert.equal(board.flash.read(0x1000, 1)[0], 0xff, "bad checksum: nothing written");
    assert.deepEqual((await host.exchange(dataPacket(Op.FLASH_DATA, block(0x11), 0)))[0]?.status, [
      0,
      0,
    ]);
    assert.deepEqual((await host.exchange(dataPacket(Op.FLASH_DATA, block(0x11), 0)))[0]?.status, [
      0,
      0,
    ], "a retry");
    assert.deepEqual((await host.exchange(dataPacket(Op.FLASH_DATA, block(0x22), 2)))[0]?.status, [
      1,
      5,
    ], "skipped a block");
    assert.deepEqual(
      (await host.exchange(dataPacket(Op.FLASH_DATA, new Uint8Array(0x401), 1)))[0]?.status,
      [1, 5],
    );
    const lying = dataPacket(Op.FLASH_DATA, block(0x22), 1);
    lying[9] = 0x03; // length word says 0x300
    assert.deepEqual((await host.exchange(lying))[0]?.status, [1, 5]);
    assert.deepEqual((await host.exchange(dataPacket(Op.FLASH_DATA, block(0x22), 1)))[0]?.status, [
      0,
      0,
    ]);
    assert.deepEqual(board.flash.read(0x13ff, 2), new Uint8Array([0x11, 0x22]));
    // not erased: the ROM reads back and reports a write error
    board.flash.program(0x2000, new Uint8Array([0x0f]));
    await host.command(Op.FLASH_BEGIN, le(0, 1, 0x400, 0x2000));
    assert.deepEqual((await host.exchange(dataPacket(Op.FLASH_DATA, block(0xf0), 0)))[0]?.status, [
      1,
      8,
    ]);
  }));

Deno.test("ROM: its SPI routines stop at 4 MB even on a 16 MB chip", () =>
  withRom(async (host, board) => {
    const [erase] = await host.command(Op.FLASH_BEGIN, le(0x1000, 1, 0x400, 0x400000));
    assert.deepEqual(erase?.status, [1, 6]);
    await host.command(Op.FLASH_BEGIN, le(0, 2, 0x400, 0x3ffc00));
    assert.deepEqual(
      (await host.exchange(dataPacket(Op.FLASH_DATA, new Uint8Array(0x400), 0)))[0]?.status,
      [0, 0],
    );
    assert.deepEqual(
      (await host.exchange(dataPacket(Op.FLASH_DATA, new Uint8Array(0x400), 1)))[0]?.status,
      [1, 8],
    );
    assert.equal(board.flash.isBlank(0x400000, 0x400), true);
  }, { flashSize: "16MB" }));

Deno.test("ROM: FLASH_END(1) runs the firmware; FLASH_END(0) reboots into the loader", async () => {
  const image = buildImage({ segments: [{ address: 0x40100000, data: new Uint8Array(64) }] });
  const flashContents = new Uint8Array(4 << 20).fill(0xff);
  flashContents.set(image);
  await withRom(async (host, board) => {
    const [r] = await host.command(Op.FLASH_END, le(1));
    assert.deepEqual(r?.status, [0, 0]);
    assert.equal(board.state, "app");
    assert.deepEqual(
      await host.command(Op.SYNC, SYNC_DATA),
      [],
      "the firmware does not speak SLIP",
    );
  }, { flashContents, app: () => new SilentProgram("app") });
  await withRom(async (_host, board) => {
    await _host.command(Op.FLASH_END, le(1));
    assert.equal(board.state, "halted", "nothing valid in flash: the ROM gives up");
  });
  await withRom(async (host, board) => {
    await readReg(host, 0x40001000);
    assert.deepEqual((await host.command(Op.FLASH_END, le(0)))[0]?.status, [0, 0]);
    assert.equal(board.state, "download");
    const [r] = await host.command(0x14);
    assert.equal(r?.value, 0, "a fresh loader: no stale value yet");
    assert.deepEqual((await host.command(Op.FLASH_END, le(0, 0)))[0]?.status, [1, 5]);
  });
});

Deno.test("ROM: MEM upload reads back; bad checksum; jump to unknown code silences the board", () =>
  withRom(async (host, board) => {
    const code = new Uint8Array(0x20).map((_, i) => i * 7);
    await host.command(Op.MEM_BEGIN, le(code.length, 1, 0x1800, 0x40100000));
    assert.deepEqual(
      (await host.exchange(dataPacket(Op.MEM_DATA, code, 0, { checksum: 1 })))[0]?.status,
      [1, 7],
    );
    assert.deepEqual((await host.exchange(dataPacket(Op.MEM_DATA, code, 0)))[0]?.status, [0, 0]);
    assert.deepEqual(
      (await host.exchange(dataPacket(Op.MEM_DATA, code, 1)))[0]?.status,
      [1, 5],
      "past the size",
    );
    assert.equal(await readReg(host, 0x40100004), 0x312a231c); // bytes 28, 35, 42, 49
    assert.deepEqual((await host.command(Op.MEM_END, le(1, 0)))[0]?.status, [0, 0]);
    assert.equal(board.state, "download");
    assert.deepEqual((await host.command(Op.MEM_END, le(0, 0x40100000)))[0]?.status, [0, 0]);
    assert.equal(board.state, "halted");
    assert.deepEqual(await host.command(Op.SYNC, SYNC_DATA), []);
  }));

Deno.test("ROM: every command it lacks gets the opcode echoed with 01 05", () =>
  withRom(async (host, board) => {
    const ops = [
      0x0b,
      0x0d,
      0x0e,
      0x0f,
      0x10,
      0x11,
      0x12,
      0x13,
      0x14,
      0xd0,
      0xd1,
      0xd2,
      0xd3,
      0x77,
      0x00,
    ];
    for (const op of ops) {
      const replies = await host.command(op, le(0, 0, 0, 0));
      assert.deepEqual(
        replies.map((r) => [r.op, r.size, r.status]),
        [[op, 2, [1, 5]]],
        `op 0x${op.toString(16)}`,
      );
    }
    assert.equal(board.uart.divider, 452, "CHANGE_BAUDRATE did nothing");
  }));

Deno.test("ROM: malformed input gets 01 05 or silence, never a crash", () =>
  withRom(async (host, board) => {
    const faults: unknown[] = [];
    board.on((e) => e.type === "fault" && faults.push(e.error));
    assert.deepEqual((await host.command(Op.READ_REG, le(0x40001000), { size: 8 }))[0]?.status, [
      1,
      5,
    ]);
    assert.deepEqual(
      await host.exchange(new Uint8Array([0, 0x0a, 4])),
      [],
      "shorter than a header",
    );
    assert.deepEqual(await host.command(Op.READ_REG, le(0x40001000), { direction: 1 }), []);
    host.sendRaw(
      new Uint8Array([0xc0, 0x00, 0x0a, 0xdb, 0x41, 0, 0, 0, 0, 0, 0, 0x10, 0, 0x40, 0xc0]),
    );
    assert.deepEqual(await host.frames(), [], "bad SLIP escape: dropped");
    host.sendRaw(new TextEncoder().encode("garbage between frames\r\n"));
    const full = slipEncode(requestPacket(Op.READ_REG, le(0x40001000)));
    host.sendRaw(full.subarray(0, 5)); // a frame cut short
    host.sendRaw(full);
    host.sendRaw(full);
    const replies = (await host.frames()).length;
    assert.equal(replies, 1, "the cut frame swallows the next one; the retry is answered");
    for (let i = 0; i < 200; i++) {
      host.sendRaw(new Uint8Array(64).map((_, j) => (i * 31 + j * 17) & 0xff));
    }
    await host.frames();
    assert.deepEqual(faults, []);
    host.sendRaw(new Uint8Array([0xc0, 0xc0]));
    assert.equal((await host.command(Op.READ_REG, le(0x40001000)))[0]?.value, 0xfff0c101);
  }));
