import assert from "node:assert/strict";
import { buildNodemcuFirmware } from "../testing/nodemcu_firmware.ts";
import { buildLfs53Image } from "../../tests/support/lfs53_image_builder.ts";
import { SimBoard } from "./board.ts";
import { ConsoleTap, flashImage } from "./console_tap.ts";

const MB = 1 << 20;
const FW = buildNodemcuFirmware({
  totalSize: 0x30000,
  flashSize: "4MB",
  banner: { version: "3.0.0.0", lfs: "0x20000 bytes total capacity", lua: "5.3.6" },
});
const IMAGE = buildLfs53Image(["hello", "_init"], { time: 1700000456 });
const ERASE = "\r\nErasing LFS from flash addr 0x030000";

async function ready() {
  const board = new SimBoard({ flashContents: flashImage(4 * MB, FW.combined) });
  const tap = new ConsoleTap(board);
  await tap.until("> ");
  return { board, tap };
}

async function run(tap: ConsoleTap, line: string): Promise<string> {
  tap.clear();
  tap.type(`${line}\r\n`);
  const text = await tap.until(/> $/);
  return text.slice(line.length + 2, -2);
}

Deno.test("LFS 5.3: reload restarts the chip, the next boot erases, loads and restarts Lua", async () => {
  const { board, tap } = await ready();
  try {
    board.nodemcu!.fs!.write("lfs.img", IMAGE);
    tap.clear();
    tap.type('node.LFS.reload("lfs.img")\r\n');
    const text = await tap.until(/> $/);
    assert.equal(board.lastReset.kind, "software", "first restart: system_restart()");
    // luaL_error in a C function names its caller's position (level 1: the typed line)
    assert.match(
      text,
      /^node\.LFS\.reload\("lfs\.img"\)\r\nLua error: \tstdin:1: system restarting\r\n/,
    );
    const load = text.indexOf(`${ERASE} to 0x04ffff\r\nLFS image loaded\r\n\r\nNodeMCU 3.0.0.0`);
    assert.ok(load > 0, text);
    assert.equal(
      text.match(/NodeMCU 3\.0\.0\.0/g)?.length,
      1,
      "the first Lua start ends at the load",
    );
    assert.equal(
      await run(tap, "print(table.concat(node.LFS.list(), ','), node.LFS.time)"),
      "_init,hello\t1700000456\r\n",
    );
    const used = Number((await run(tap, "print(node.LFS.config.lfs_used)")).trim());
    assert.equal(used, 0x1000 + IMAGE.length);
    for (const again of [() => board.reset({ mode: "flash" }), () => board.powerCycle()]) {
      tap.clear();
      again();
      const boot = await tap.until("> ");
      assert.match(boot, /LFS image loaded\r\n\r\nNodeMCU/);
      assert.doesNotMatch(boot, /Erasing/);
    }
  } finally {
    await board.close();
  }
});

Deno.test("LFS 5.3: reload needs the file and a partition; a refused image leaves Lua down", async () => {
  const { board, tap } = await ready();
  try {
    assert.equal(await run(tap, '=node.LFS.reload("none.img")'), "No LFS partition allocated\r\n");
    board.nodemcu!.fs!.write("bad.img", IMAGE.slice(0, 40));
    tap.clear();
    tap.type('node.LFS.reload("bad.img")\r\n');
    const text = await tap.until(`${ERASE} to 0x04ffff\r\n(null): truncated precompiled chunk\r\n`);
    assert.doesNotMatch(text, /NodeMCU 3\.0\.0\.0/, "the interpreter's start was aborted");
    await board.idle();
    assert.equal(board.nodemcu?.ready, false);
    tap.clear();
    board.reset({ mode: "flash" });
    const boot = await tap.until("> ");
    assert.doesNotMatch(boot, /LFS image|Erasing/, "the record was deleted, the LFS is empty");
  } finally {
    await board.close();
  }
});

Deno.test("LFS 5.3: a corrupt header is reported and erased at boot", async () => {
  const { board, tap } = await ready();
  try {
    const lfs = board.nodemcu!.image.lfs;
    board.flash.program(lfs.start, Uint8Array.of(0x50, 0xa1, 0xfa, 0xfa, 1, 2, 3, 4));
    board.flash.program(lfs.start + 0x5000, new Uint8Array(16));
    tap.clear();
    board.reset({ mode: "flash" });
    const boot = await tap.until("> ");
    assert.match(
      boot,
      /LFS image corrupted\.\r\n\r\nErasing LFS from flash addr 0x030000\.\. to 0x04ffff\r\n/,
    );
    assert.ok(board.flash.isBlank(lfs.start, lfs.size));
    tap.clear();
    board.reset({ mode: "flash" });
    assert.doesNotMatch(await tap.until("> "), /LFS image/);
  } finally {
    await board.close();
  }
});

Deno.test("LFS 5.3: power lost during the load leaves an empty LFS and no retry", async () => {
  const { board, tap } = await ready();
  try {
    const big = buildLfs53Image(
      Array.from({ length: 40 }, (_, i) => `module_${i}_${"x".repeat(60)}`),
    );
    board.nodemcu!.fs!.write("big.img", big);
    const lfs = board.nodemcu!.image.lfs;
    tap.clear();
    tap.type('node.LFS.reload("big.img")\r\n');
    await tap.until("Erasing LFS");
    while (board.flash.isBlank(lfs.start + 0x1000, 16)) await board.clock.sleep(1000);
    board.powerCycle();
    tap.clear();
    const boot = await tap.until("> ");
    assert.doesNotMatch(boot, /LFS image|Erasing/);
    assert.equal(await run(tap, "print(node.LFS.list())"), "nil\r\n");
  } finally {
    await board.close();
  }
});
