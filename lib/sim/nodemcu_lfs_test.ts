import assert from "node:assert/strict";
import { buildNodemcuFirmware } from "../testing/nodemcu_firmware.ts";
import { buildLfs51Image, gzipForLfs } from "../../tests/support/lfs_image_builder.ts";
import { compileLua51 } from "../../tests/support/lua51_compile.ts";
import { SimBoard } from "./board.ts";
import type { BoardOptions } from "./board_options.ts";
import { ConsoleTap, flashImage } from "./console_tap.ts";
import { inflateGzip } from "./lfs_inflate.ts";

const MB = 1 << 20;
const LFS_SIZE = 0x10000;
const firmware = (lfs: string, extra: { buildType?: "integer" | "float"; lua?: string } = {}) =>
  buildNodemcuFirmware({
    totalSize: 0x30000,
    flashSize: "4MB",
    banner: { version: "3.0.0.0", lfs, ...extra },
  });
const FW = firmware(`0x${LFS_SIZE.toString(16)} bytes total capacity`);
const SOURCES = [
  {
    name: "hello.lua",
    source: 'local M = {}\nfunction M.greet(n)\n  return "hello " .. n\nend\nreturn M\n',
  },
  { name: "lib/_init.lua", source: "LFS_INIT_RAN = true\n" },
];
const IMAGE = buildLfs51Image(SOURCES, { compile: compileLua51, time: 1700000123 });

async function ready(options: BoardOptions & { fw?: Uint8Array } = {}) {
  const board = new SimBoard({
    flashContents: flashImage(4 * MB, options.fw ?? FW.combined),
    ...options,
  });
  const tap = new ConsoleTap(board);
  await tap.until("> ");
  return { board, tap };
}

/** Types a line and returns what came back up to the next prompt. */
async function run(tap: ConsoleTap, line: string): Promise<string> {
  tap.clear();
  tap.type(`${line}\r\n`);
  const text = await tap.until(/> $/);
  return text.slice(line.length + 2, -2);
}

Deno.test("LFS 5.1: the partition sits after the firmware; an empty one says so at boot", async () => {
  const { board, tap } = await ready();
  try {
    assert.deepEqual(board.nodemcu?.image.lfs, { start: 0x30000, size: LFS_SIZE });
    board.reset({ mode: "flash" });
    tap.clear();
    const boot = await tap.until("> ");
    assert.match(boot, /No LFS image loaded\r\n\r\nNodeMCU 3\.0\.0\.0/);
    assert.equal(
      await run(tap, "c = node.LFS.config print(c.lfs_base, c.lfs_mapped, c.lfs_size, c.lfs_used)"),
      `${0x30000}\t${0x40230000}\t${LFS_SIZE}\t0\r\n`,
    );
    assert.equal(await run(tap, "print(node.LFS.list(), node.LFS.get('hello'))"), "nil\tnil\r\n");
  } finally {
    await board.close();
  }
});

Deno.test("LFS 5.1: reload of a good image writes it, says so and the watchdog resets the chip", async () => {
  const { board, tap } = await ready();
  try {
    board.nodemcu!.fs!.write("lfs.img", IMAGE);
    tap.clear();
    tap.type('node.LFS.reload("lfs.img")\r\n');
    const text = await tap.until("> ");
    assert.ok(text.startsWith('node.LFS.reload("lfs.img")\r\nLFS region updated.  Restarting.'));
    assert.equal(board.lastReset.kind, "watchdog");
    assert.equal(board.lastReset.cause, 4);
    assert.doesNotMatch(text, /No LFS image loaded/);
    assert.equal(
      await run(tap, "print(table.concat(node.LFS.list(), ','), node.LFS.time)"),
      "_init,hello\t1700000123\r\n",
    );
    const used = await run(tap, "print(node.info('lfs').lfs_used)");
    const flashSize = new DataView(inflateGzip(IMAGE).output.buffer).getUint32(4, true);
    assert.equal(used, `${flashSize}\r\n`);
    // the image stays across a power cycle (it lives in the flash model)
    board.powerCycle();
    tap.clear();
    assert.doesNotMatch(await tap.until("> "), /No LFS image loaded/);
    assert.equal(await run(tap, "print(#node.LFS.list())"), "2\r\n");
  } finally {
    await board.close();
  }
});

Deno.test("LFS 5.1: the module functions run after the restart", async () => {
  const { board, tap } = await ready();
  try {
    assert.equal(await run(tap, "print(_VERSION)"), "Lua 5.1\r\n");
    board.nodemcu!.fs!.write("lfs.img", IMAGE);
    tap.clear();
    tap.type('node.LFS.reload("lfs.img")\r\n');
    await tap.until("> ");
    assert.equal(await run(tap, "print(node.LFS.hello().greet('board'))"), "hello board\r\n");
    assert.equal(await run(tap, "node.LFS._init() print(LFS_INIT_RAN)"), "true\r\n");
    assert.match(
      await run(tap, "node.LFS.hello().greet()"),
      /hello\.lua:3: attempt to concatenate/,
    );
  } finally {
    await board.close();
  }
});

Deno.test("LFS 5.1: each bad image gets the firmware's error string and the LFS is untouched", async () => {
  const { board, tap } = await ready();
  const fs = board.nodemcu!.fs!;
  try {
    const corrupt = IMAGE.slice();
    corrupt[corrupt.length - 6]! ^= 0x40; // the stored CRC
    fs.write("corrupt.img", corrupt);
    const integer = buildLfs51Image(SOURCES, { compile: compileLua51, numberType: "integer" });
    fs.write("int.img", integer);
    const big = Array.from({ length: 400 }, (_, i) => `s${i} = "${"x".repeat(150)}${i}"`);
    fs.write(
      "big.img",
      buildLfs51Image([{ name: "big.lua", source: big.join("\n") }], { compile: compileLua51 }),
    );
    fs.write("plain.lc", compileLua51("return 1", "=x").slice());
    fs.write("notgz.img", gzipForLfs(new Uint8Array(300)).slice(0, 250));
    const cases: [string, string][] = [
      ['"corrupt.img"', "checksum error on LFS image file"],
      ['"int.img"', "Incorrect LFS build type"],
      ['"big.img"', "LFS Image too big for configured LFS region"],
      ['"missing.img"', "LFS image file not found"],
      ['"plain.lc"', "read error on LFS image file"],
    ];
    for (const [arg, message] of cases) {
      assert.equal(await run(tap, `=node.LFS.reload(${arg})`), `${message}\r\n`, arg);
    }
    assert.equal(
      await run(tap, '=node.flashreload("corrupt.img")'),
      "Warning, deprecated API! node.flashreload. It will be removed soon. Use node.LFS " +
        "interface instead. See documentation for details.\r\nchecksum error on LFS image file\r\n",
    );
    assert.equal(board.lastReset.kind, "power-on", "no restart");
    const lfs = board.nodemcu!.image.lfs;
    assert.ok(board.flash.read(lfs.start, lfs.size).every((b) => b === 0xff), "untouched");
  } finally {
    await board.close();
  }
});

Deno.test("LFS 5.1: a build without LFS has no partition", async () => {
  const { board, tap } = await ready({ fw: firmware("0x0 bytes total capacity").combined });
  try {
    board.nodemcu!.fs!.write("lfs.img", IMAGE);
    assert.equal(await run(tap, '=node.LFS.reload("lfs.img")'), "No LFS partition allocated\r\n");
    board.reset({ mode: "flash" });
    tap.clear();
    assert.doesNotMatch(await tap.until("> "), /LFS image|No LFS/);
  } finally {
    await board.close();
  }
});

Deno.test("LFS 5.1: power lost while the image is written: the next boot refuses the partial image", async () => {
  const { board, tap } = await ready({ timing: { sectorEraseUs: 45_000 } });
  try {
    board.nodemcu!.fs!.write("lfs.img", IMAGE);
    tap.clear();
    tap.type('node.LFS.reload("lfs.img")\r\n');
    const lfs = board.nodemcu!.image.lfs;
    // cut the power once the first block is in flash with its in-progress mark
    while (board.flash.read(lfs.start, 1)[0] !== 0x5c) await board.clock.sleep(1000);
    board.powerCycle();
    tap.clear();
    const boot = await tap.until("> ");
    assert.match(boot, /Flash sig not correct: 0xfafaa15c vs 0xfafaa154\r\n/);
    assert.equal(await run(tap, "print(node.LFS.list())"), "nil\r\n");
    // a reload repairs it
    tap.clear();
    tap.type('node.LFS.reload("lfs.img")\r\n');
    assert.doesNotMatch(await tap.until("> "), /Flash sig not correct/);
  } finally {
    await board.close();
  }
});

Deno.test("LFS 5.1: the loaded image is in the backing flash file for the next board", async () => {
  const dir = await Deno.makeTempDir({ prefix: "nodeflash-lfs-" });
  const flashFile = `${dir}/flash.bin`;
  try {
    await Deno.writeFile(flashFile, flashImage(4 * MB, FW.combined));
    const first = await ready({ flashFile });
    try {
      first.board.nodemcu!.fs!.write("lfs.img", IMAGE);
      first.tap.clear();
      first.tap.type('node.LFS.reload("lfs.img")\r\n');
      await first.tap.until("> ");
    } finally {
      await first.board.close();
    }
    const second = await ready({ flashFile });
    try {
      assert.equal(
        await run(second.tap, "print(table.concat(node.LFS.list(), ','))"),
        "_init,hello\r\n",
      );
    } finally {
      await second.board.close();
    }
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
