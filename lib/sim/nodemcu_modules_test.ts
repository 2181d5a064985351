import assert from "node:assert/strict";
import { buildNodemcuFirmware } from "../testing/nodemcu_firmware.ts";
import { SimBoard } from "./board.ts";
import { flashImage } from "./console_tap.ts";
import { LuaVm } from "./lua_vm.ts";
import { installNodemcuModules } from "./nodemcu_modules.ts";
import { inspectNodemcuImage } from "./nodemcu_image.ts";
import { SimFs } from "./sim_fs.ts";

const FW = buildNodemcuFirmware({
  totalSize: 0x30000,
  flashMode: "dio",
  banner: {
    version: "3.0.0.0",
    branch: "dev",
    commit: "cafe",
    modules: ["file", "node"],
    ssl: true,
    lfs: "0x40000 bytes total capacity",
  },
});

async function setUp() {
  const board = new SimBoard({
    flashContents: flashImage(4 << 20, FW.combined),
    bootMode: "download",
    mac: "5c:cf:7f:12:34:56",
  });
  const chip = board.chip;
  const storage = {
    read: (a: number, n: number) => chip.romRead(a, n),
    eraseSector: (a: number) => chip.romErase("sector", a),
    program: (a: number, d: Uint8Array) => chip.romWrite(a, d),
  };
  let fs = await SimFs.format(storage, 0x30000, 0x60000);
  let restarts = 0;
  const printed: string[] = [];
  const vm = new LuaVm({ print: (line) => printed.push(line) });
  const image = inspectNodemcuImage((a, n) => chip.romRead(a, n), { flashBytes: chip.size });
  const closeFiles = installNodemcuModules(vm, {
    device: board.device,
    image,
    fs: () => fs,
    format: () => (fs = SimFs.formatNow(storage, 0x30000, 0x60000), fs !== undefined),
    restart: () => restarts++,
    bootedAtUs: board.clock.now(),
  });
  const run = (code: string) => {
    const outcome = vm.run(code, "=stdin");
    if (outcome.kind !== "ok") throw new Error(JSON.stringify(outcome));
    return outcome.results;
  };
  return { board, run, printed, restarts: () => restarts, closeFiles, fs: () => fs };
}

Deno.test("node: chip id from the MAC, flash id and size, info groups from the banner, boot reason", async () => {
  const t = await setUp();
  try {
    assert.deepEqual(t.run("return node.chipid(), node.flashid(), node.flashsize()"), [
      String(0x123456),
      String(0x1640ef),
      String(4 << 20),
    ]);
    assert.deepEqual(t.run("return node.info()"), [
      "3",
      "0",
      "0",
      String(0x123456),
      String(0x1640ef),
      "4096",
      "2",
      "40000000",
    ]);
    assert.deepEqual(
      t.run(
        "local hw = node.info('hw') return hw.chip_id, hw.flash_size, hw.flash_mode, hw.flash_speed",
      ),
      [String(0x123456), "4096", "2", "40000000"],
    );
    assert.deepEqual(
      t.run(
        "local sw = node.info('sw_version') return sw.git_branch, sw.git_commit_id, sw.node_version_major",
      ),
      ["dev", "cafe", "3"],
    );
    assert.deepEqual(
      t.run(
        "local b = node.info('build_config') return b.ssl, b.modules, b.lfs_size, b.number_type",
      ),
      ["true", "file,node", String(0x40000), "float"],
    );
    assert.throws(() => t.run("node.info('nope')"), /invalid group/);
    assert.deepEqual(t.run("return node.bootreason()"), ["1", "0"], "power-on");
    const heaps = t.run("return node.heap(), node.heap(), node.heap()").map(Number);
    assert.ok(heaps.every((h) => h > 30_000 && h < 46_000), `${heaps}`);
    assert.ok(new Set(heaps).size > 1, "it varies");
    t.run("node.restart()");
    assert.equal(t.restarts(), 1);
  } finally {
    await t.board.close();
  }
});

Deno.test("file: open modes, read, readline, append, the current file, exists, rename, remove, fsinfo", async () => {
  const t = await setUp();
  try {
    t.run('local f = file.open("a.txt", "w") f:writeline("one") f:write("two") f:close()');
    assert.deepEqual([...t.fs()!.list()], [["a.txt", 7]]);
    assert.deepEqual(
      t.run('local f = file.open("a.txt") return f:readline(), f:read(), f:read()'),
      [
        "one\n",
        "two",
        "nil",
      ],
    );
    t.run('file.open("a.txt", "a+") file.write("!") file.close()');
    assert.deepEqual(
      t.run('file.open("a.txt", "r") local s = file.read("w") file.close() return s'),
      ["one\ntw"],
    );
    assert.deepEqual(
      t.run('return file.open("missing.txt"), file.exists("a.txt"), file.exists("b")'),
      [
        "nil",
        "true",
        "false",
      ],
    );
    assert.deepEqual(t.run('return file.rename("a.txt", "b.txt"), file.exists("a.txt")'), [
      "true",
      "false",
    ]);
    assert.deepEqual(
      t.run("local n = 0 for k, v in pairs(file.list()) do n = n + v end return n"),
      ["8"],
    );
    const [remaining, used, total] = t.run("return file.fsinfo()").map(Number);
    assert.equal(total, 0x30000);
    assert.equal(remaining! + used!, total);
    t.run('file.remove("b.txt")');
    assert.equal(t.fs()!.list().size, 0);
    t.run('f = file.open("c.txt", "w") f:write("unflushed")');
    t.closeFiles();
    assert.throws(() => t.run('f:write("x")'), /open a file first/);
    assert.equal(t.fs()!.read("c.txt")?.length, 0, "never flushed: empty");
    t.run('file.open("c.txt", "w") file.write("x") file.format()');
    assert.equal(t.fs()!.list().size, 0);
  } finally {
    await t.board.close();
  }
});

Deno.test("tmr and dofile: time since boot moves with work; files run from the file system", async () => {
  const t = await setUp();
  try {
    const [a, b] = t.run("local a = tmr.now() tmr.delay(5000) return a, tmr.now()").map(Number);
    assert.ok(b! >= a!, "delay is device work; it passes when the line is done");
    await t.board.device.settle();
    const [c] = t.run("return tmr.now()").map(Number);
    assert.ok(c! - a! >= 5000);
    t.run('local f = file.open("lib.lua", "w") f:write("return 40 + 2") f:close()');
    assert.deepEqual(t.run('return dofile("lib.lua")'), ["42"]);
    assert.throws(() => t.run('dofile("none.lua")'), /cannot open none\.lua/);
  } finally {
    await t.board.close();
  }
});
