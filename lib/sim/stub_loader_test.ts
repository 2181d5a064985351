import assert from "node:assert/strict";
import { withStub } from "./test_boards.ts";
import { createHash } from "node:crypto";
import zlib from "node:zlib";
import { Op } from "../protocol/opcodes.ts";
import { slipEncode } from "../bytes/slip.ts";
import { buildImage } from "../testing/build_image.ts";
import { SilentProgram } from "./silent_program.ts";
import type { StubFamily } from "./stub_dialect.ts";
import {
  dataPacket,
  le,
  type ParsedReply,
  requestPacket,
  type SimTestHost,
  SYNC_DATA,
} from "./testing.ts";

const FAMILIES: StubFamily[] = ["legacy", "esp-flasher-stub"];

const status = (replies: ParsedReply[]) => replies.map((r) => r.status);

/** Writes an image with FLASH_BEGIN/DATA (16 KiB blocks, the last one 0xFF-padded). */
async function writePlain(
  host: SimTestHost,
  offset: number,
  image: Uint8Array,
): Promise<ParsedReply[]> {
  const blocks = Math.ceil(image.length / 0x4000);
  const out = await host.command(Op.FLASH_BEGIN, le(image.length, blocks, 0x4000, offset));
  for (let i = 0; i < blocks; i++) {
    const block = new Uint8Array(0x4000).fill(0xff);
    block.set(image.subarray(i * 0x4000, (i + 1) * 0x4000));
    out.push(...await host.exchange(dataPacket(Op.FLASH_DATA, block, i)));
  }
  return out;
}

async function writeDeflated(
  host: SimTestHost,
  offset: number,
  image: Uint8Array,
): Promise<ParsedReply[]> {
  const packed = zlib.deflateSync(image, { level: 9 });
  const blocks = Math.ceil(packed.length / 0x4000);
  const out = await host.command(Op.FLASH_DEFL_BEGIN, le(image.length, blocks, 0x4000, offset));
  for (let i = 0; i < blocks; i++) {
    out.push(
      ...await host.exchange(
        dataPacket(Op.FLASH_DEFL_DATA, packed.subarray(i * 0x4000, (i + 1) * 0x4000), i),
      ),
    );
  }
  return out;
}

function image(length: number, seed: number): Uint8Array {
  let x = seed;
  return new Uint8Array(length).map((_, i) => {
    x = (Math.imul(x, 1103515245) + 12345) >>> 0;
    return i % 7 === 0 ? 0 : (x >>> 24) & 0xff;
  });
}

for (const family of FAMILIES) {
  Deno.test(`${family}: SYNC answers 8 times with value 0; READ_REG; unknown commands`, () =>
    withStub(family, async (host) => {
      const sync = await host.command(Op.SYNC, SYNC_DATA);
      assert.deepEqual(sync.map((r) => [r.value, r.status]), new Array(8).fill([0, [0, 0]]));
      assert.equal((await host.command(Op.READ_REG, le(0x40001000)))[0]?.value, 0xfff0c101);
      assert.deepEqual(status(await host.command(Op.READ_REG, le(0x40001000, 0))), [[0xc0, 0]]);
      const unknown = family === "legacy" ? 0xff : 0xc3;
      assert.deepEqual(status(await host.command(0x77)), [[unknown, 0]]);
      assert.deepEqual(status(await host.command(Op.GET_SECURITY_INFO)), [[0xff, 0]]);
      assert.deepEqual(status(await host.command(Op.SYNC, SYNC_DATA.subarray(1))), [[0xc0, 0]]);
    }));

  Deno.test(`${family}: uncompressed write with lazy erase, MD5, FLASH_END(1) stays`, () =>
    withStub(family, async (host, board) => {
      board.flash.program(0x23000, new Uint8Array(0x10000).fill(0x55));
      const data = image(0x9000 + 123, 1);
      assert.ok(status(await writePlain(host, 0x23000, data)).every(([s]) => s === 0));
      await board.idle();
      assert.deepEqual(board.flash.read(0x23000, data.length), data);
      assert.equal(board.flash.read(0x23000 + data.length, 1)[0], 0xff, "padding not written");
      assert.equal(board.flash.read(0x2d000, 1)[0], 0x55, "erased only through the last sector");
      const erased = [...board.flash.eraseCounts()].flatMap((n, i) => (n > 0 ? [i] : []));
      assert.deepEqual(erased, [0x23, 0x24, 0x25, 0x26, 0x27, 0x28, 0x29, 0x2a, 0x2b, 0x2c]);
      const [md5] = await host.command(Op.SPI_FLASH_MD5, le(0x23000, data.length, 0, 0));
      assert.equal(md5?.size, 18);
      assert.deepEqual([...md5!.body.subarray(0, 16)], [
        ...createHash("md5").update(data).digest(),
      ]);
      assert.deepEqual(status(await host.command(Op.FLASH_END, le(1))), [[0, 0]]);
      assert.equal(board.state, "stub");
      assert.deepEqual(
        status(await host.command(Op.FLASH_END, le(1))),
        [[0xc6, 0]],
        "not in flash mode",
      );
    }));

  Deno.test(`${family}: compressed write inflates block by block`, () =>
    withStub(family, async (host, board) => {
      const data = image(0x30000, 2).map((b, i) => (i % 3 === 0 ? b : 0x41));
      assert.ok(status(await writeDeflated(host, 0x10000, data)).every(([s]) => s === 0));
      assert.deepEqual(status(await host.command(Op.FLASH_DEFL_END, le(1))), [[0, 0]]);
      assert.deepEqual(board.flash.read(0x10000, data.length), data);
    }));

  Deno.test(`${family}: a corrupt deflate stream is reported one command late`, () =>
    withStub(family, async (host) => {
      await host.command(Op.FLASH_DEFL_BEGIN, le(0x8000, 2, 0x4000, 0));
      const junk = new Uint8Array(100).fill(0xff);
      junk.set([0x78, 0xda]);
      assert.deepEqual(status(await host.exchange(dataPacket(Op.FLASH_DEFL_DATA, junk, 0))), [[
        0,
        0,
      ]], "acknowledged first");
      if (family === "legacy") {
        assert.deepEqual(status(await host.exchange(dataPacket(Op.FLASH_DEFL_DATA, junk, 1))), [[
          0xc7,
          0,
        ]]);
        assert.deepEqual(status(await host.exchange(dataPacket(Op.FLASH_DEFL_DATA, junk, 1))), [[
          0xc7,
          0,
        ]], "sticky");
        assert.deepEqual(status(await host.command(Op.READ_REG, le(0x40001000))), [[0, 0]]);
      } else {
        const [r] = await host.command(Op.READ_REG, le(0x40001000));
        assert.deepEqual(
          [r?.status, r?.value],
          [[0xc7, 0], 0],
          "answered with the error, not executed",
        );
        assert.equal((await host.command(Op.READ_REG, le(0x40001000)))[0]?.value, 0xfff0c101);
      }
    }));

  Deno.test(`${family}: a write past the SPI_SET_PARAMS size fails late with 0xC4`, () =>
    withStub(family, async (host, board) => {
      assert.deepEqual(
        status(
          await host.command(Op.SPI_SET_PARAMS, le(0, 0x100000, 0x10000, 0x1000, 0x100, 0xffff)),
        ),
        [[0, 0]],
      );
      const replies = await writePlain(host, 0xfc000, image(0x8000, 3));
      assert.deepEqual(status(replies), [[0, 0], [0, 0], [0, 0]], "both blocks acknowledged");
      const [next] = await host.command(family === "legacy" ? Op.FLASH_END : Op.READ_REG, le(1));
      assert.deepEqual(next?.status, [0xc4, 0]);
      assert.equal(
        board.flash.isBlank(0, 0x1000),
        true,
        "the lazy erase wrapped around to sector 0",
      );
    }, { flashSize: "1MB", flashContents: new Uint8Array(0x100000) }));

  Deno.test(`${family}: checksum, flash-mode and length errors`, () =>
    withStub(family, async (host) => {
      assert.deepEqual(
        status(await host.exchange(dataPacket(Op.FLASH_DATA, new Uint8Array(4), 0))),
        [[0xc6, 0]],
      );
      await host.command(Op.FLASH_BEGIN, le(8, 1, 0x4000, 0));
      assert.deepEqual(
        status(
          await host.exchange(dataPacket(Op.FLASH_DATA, new Uint8Array(4), 0, { checksum: 9 })),
        ),
        [[0xc1, 0]],
      );
      const lying = dataPacket(Op.FLASH_DATA, new Uint8Array(4), 0);
      lying[8] = 3;
      assert.deepEqual(status(await host.exchange(lying)), [[
        family === "legacy" ? 0xc0 : 0xc9,
        0,
      ]]);
      assert.deepEqual(
        status(await host.exchange(dataPacket(Op.FLASH_DATA, new Uint8Array(4), 0))),
        [[0, 0]],
      );
      assert.deepEqual(status(await host.command(Op.FLASH_END, le(1))), [[
        family === "legacy" ? 0xc8 : 0xc0,
        0,
      ]]);
      const twenty = await host.command(Op.FLASH_BEGIN, le(0, 0, 0x4000, 0, 0));
      // legacy: a length error (0xC0) inside its `||` chain, sent as 0x01
      assert.deepEqual(status(twenty), [[family === "legacy" ? 0x01 : 0, 0]]);
      const big = await host.command(Op.FLASH_BEGIN, le(0, 0, 0x8000, 0));
      assert.deepEqual(status(big), [[family === "legacy" ? 0xc2 : 0, 0]]);
    }));

  Deno.test(`${family}: FLASH_END(0) and RUN_USER_CODE`, async () => {
    await withStub(family, async (host, board) => {
      await host.command(Op.FLASH_BEGIN, le(0, 0, 0x4000, 0));
      assert.deepEqual(status(await host.command(Op.FLASH_END, le(0))), [[0, 0]]);
      assert.equal(board.state, family === "legacy" ? "download" : "stub");
      const sync = await host.command(Op.SYNC, SYNC_DATA);
      assert.equal(sync[0]?.value, family === "legacy" ? 0x20120707 : 0);
    });
    const flashContents = new Uint8Array(4 << 20).fill(0xff);
    flashContents.set(buildImage({ segments: [{ address: 0x40100000, data: new Uint8Array(8) }] }));
    await withStub(family, async (host, board) => {
      assert.deepEqual(await host.command(Op.RUN_USER_CODE), [], "no reply");
      assert.equal(board.state, family === "legacy" ? "app" : "stub");
    }, { flashContents, app: () => new SilentProgram("app") });
  });

  Deno.test(`${family}: erase flash and erase region`, () =>
    withStub(family, async (host, board) => {
      board.flash.program(0, new Uint8Array(0x100000));
      // legacy: 0x32 and 0x33 from its handler, folded into 0x01 by its `||` (stub_dialect.ts)
      const misaligned = family === "legacy" ? [[0x01, 0], [0x01, 0]] : [[0xc0, 0], [0xc0, 0]];
      assert.deepEqual(status(await host.command(Op.ERASE_REGION, le(0x800, 0x1000))), [
        misaligned[0],
      ]);
      assert.deepEqual(status(await host.command(Op.ERASE_REGION, le(0x1000, 0x800))), [
        misaligned[1],
      ]);
      assert.deepEqual(status(await host.command(Op.ERASE_REGION, le(0xe000, 0x22000))), [[0, 0]]);
      assert.equal(board.flash.isBlank(0xe000, 0x22000), true);
      assert.equal(board.flash.read(0xd000, 1)[0], 0);
      assert.equal(board.flash.read(0x30000, 1)[0], 0);
      const { sectorErases, blockErases } = board.flash.stats;
      // legacy: "while (len > 64K)" leaves the last whole block to 16 sector erases
      assert.deepEqual([sectorErases, blockErases], family === "legacy" ? [18, 1] : [2, 2]);
      assert.deepEqual(status(await host.command(Op.ERASE_FLASH)), [[0, 0]]);
      assert.equal(board.flash.isBlank(0, 0x100000), true);
    }, { flashSize: "1MB" }));

  Deno.test(`${family}: CHANGE_BAUDRATE replies at the old rate, then switches`, () =>
    withStub(family, async (host, board) => {
      assert.deepEqual(status(await host.command(Op.CHANGE_BAUDRATE, le(921600, 115200))), [[
        0,
        0,
      ]]);
      assert.equal(board.uart.divider, 56);
      assert.deepEqual(await host.command(Op.READ_REG, le(0x40001000)), [], "host still at 115200");
      host.setBaud(921600);
      assert.equal((await host.command(Op.READ_REG, le(0x40001000)))[0]?.value, 0xfff0c101);
    }));

  Deno.test(`${family}: READ_FLASH streams packets with acknowledgements and an MD5`, () =>
    withStub(family, async (host, board) => {
      const data = image(0x2800, 4);
      board.flash.program(0x4000, data);
      host.send(requestPacket(Op.READ_FLASH, le(0x4000, data.length, 0x1000, 64)));
      let frames = await host.frames();
      assert.deepEqual([...frames.shift()!.subarray(8)], [0, 0]);
      const got: number[] = [];
      assert.equal(frames.length, 1, "one packet in flight");
      while (got.length < data.length) {
        got.push(...frames[0]!);
        host.send(le(got.length));
        frames = await host.frames();
      }
      assert.deepEqual(new Uint8Array(got), data);
      assert.deepEqual([...frames[0]!], [...createHash("md5").update(data).digest()]);
      assert.equal((await host.command(Op.READ_REG, le(0x40001000)))[0]?.value, 0xfff0c101);
    }));

  Deno.test(`${family}: READ_FLASH with packets above 4096`, () =>
    withStub(family, async (host, board) => {
      assert.deepEqual(status(await host.command(Op.READ_FLASH, le(0, 0x2000, 0x2000, 1))), [[
        0,
        0,
      ]]);
      if (family === "legacy") {
        assert.equal(board.state, "halted", "deaf: its receive interrupt is off");
      } else {
        assert.deepEqual(status(await host.command(Op.READ_REG, le(0x40001000))), [[0xc0, 0]]);
      }
    }));

  Deno.test(`${family}: MEM upload; overwriting the stub or jumping away ends it`, () =>
    withStub(family, async (host, board) => {
      await host.command(Op.MEM_BEGIN, le(8, 1, 0x1800, 0x3ffe9000));
      assert.deepEqual(
        status(await host.exchange(dataPacket(Op.MEM_DATA, le(1, 2), 0, { checksum: 0 }))),
        [[0, 0]],
        "no checksum check",
      );
      assert.equal((await host.command(Op.READ_REG, le(0x3ffe9004)))[0]?.value, 2);
      assert.deepEqual(status(await host.command(Op.MEM_END, le(1, 0))), [[0, 0]]);
      const stub = board.runningStub!;
      await host.command(Op.MEM_BEGIN, le(4, 1, 0x1800, stub.text.address + 0x10));
      assert.deepEqual(status(await host.exchange(dataPacket(Op.MEM_DATA, le(0), 0))), [[0, 0]]);
      assert.equal(board.state, "halted");
    }));

  Deno.test(`${family}: malformed frames`, () =>
    withStub(family, async (host, board) => {
      const legacy = family === "legacy";
      const oversize = requestPacket(Op.FLASH_DATA, new Uint8Array(0x4100));
      host.send(oversize);
      const over = (await host.frames()).map((f) => [...f.subarray(8)]);
      assert.deepEqual(over, legacy ? [[0xc0, 0xee]] : []);
      const reversed = await host.command(Op.READ_REG, le(0x40001000), { direction: 1 });
      assert.deepEqual(
        reversed.map((r) => [r.status, r.value]),
        legacy ? [[[0, 0], 0xfff0c101]] : [[[0xc3, 0], 0]],
      );
      const short = await host.command(Op.READ_REG, le(0x40001000), { size: 8 });
      assert.deepEqual(short.map((r) => r.status), [[0xc0, 0]]);
      host.sendRaw(
        new Uint8Array([
          0xc0,
          0x00,
          0x0a,
          0x04,
          0x00,
          0xdb,
          0x41,
          0,
          0,
          0,
          0,
          0,
          0x10,
          0,
          0x40,
          0xc0,
        ]),
      );
      assert.equal(
        (await host.frames()).length,
        legacy ? 1 : 0,
        "bad escape: byte dropped / frame dropped",
      );
      host.sendRaw(slipEncode(requestPacket(Op.READ_REG, le(0x40001000))).subarray(0, 6));
      host.sendRaw(new Uint8Array([0xc0, 0xc0]));
      await host.frames();
      assert.equal((await host.command(Op.READ_REG, le(0x40001000)))[0]?.value, 0xfff0c101);
      assert.equal(board.state, "stub");
    }));
}

Deno.test("legacy: a non-4-byte frame ends READ_FLASH early with the MD5 of what was sent", () =>
  withStub("legacy", async (host, board) => {
    board.flash.program(0, image(0x3000, 5));
    host.send(requestPacket(Op.READ_FLASH, le(0, 0x3000, 0x1000, 64)));
    const [, first] = await host.frames();
    host.send(new Uint8Array([1, 2, 3]));
    const [md5] = await host.frames();
    assert.deepEqual([...md5!], [...createHash("md5").update(first!).digest()]);
    assert.equal((await host.command(Op.READ_REG, le(0x40001000)))[0]?.value, 0xfff0c101);
  }));

Deno.test("new stub: skips erasing blank sectors until it meets a written one", () =>
  withStub("esp-flasher-stub", async (host, board) => {
    board.flash.program(0x6000, new Uint8Array([0]));
    await writePlain(host, 0x0, image(0x8000, 6));
    await board.idle();
    const erased = [...board.flash.eraseCounts()].flatMap((n, i) => (n > 0 ? [i] : []));
    assert.deepEqual(erased, [6, 7]);
    assert.deepEqual(board.flash.read(0, 0x8000), image(0x8000, 6));
  }));
