import assert from "node:assert/strict";
import { join } from "node:path";
import { logStem, writeBoardLogs } from "./board_logs.ts";

Deno.test("board logs: one text log and one serial capture per board, named by position and port", async () => {
  const dir = join(await Deno.makeTempDir(), "logs");
  try {
    const files = await writeBoardLogs([
      {
        port: "/dev/serial/by-path/pci-0000:00:14.0-usb-0:2:1.0-port0",
        lines: ["a", "b"],
        console: new Uint8Array([0xff, 0x0d, 0x0a]),
      },
      {
        port: "/dev/serial/by-path/pci-0000:00:14.0-usb-0:2:1.0-port0",
        lines: [],
        console: new Uint8Array(),
      },
    ], dir);
    assert.equal(files.length, 2);
    assert.notEqual(files[0]!.log, files[1]!.log, "the same port twice still gets two files");
    assert.equal(
      await Deno.readTextFile(files[0]!.log),
      "nodeflash: /dev/serial/by-path/pci-0000:00:14.0-usb-0:2:1.0-port0\na\nb\n",
    );
    assert.deepEqual(await Deno.readFile(files[0]!.serial), new Uint8Array([0xff, 0x0d, 0x0a]));
    const names = [];
    for await (const e of Deno.readDir(dir)) names.push(e.name);
    assert.equal(names.length, 4);
  } finally {
    await Deno.remove(join(dir, ".."), { recursive: true });
  }
});

Deno.test("board logs: stems are safe file names", () => {
  assert.equal(logStem(0, "sim://?flash-size=1MB&seed=2"), "board-1-sim-flash-size-1MB-seed-2");
  assert.equal(logStem(9, "COM3"), "board-10-COM3");
  assert.doesNotMatch(logStem(0, "../../etc/passwd"), /\/|\.\.\//);
  assert.ok(logStem(0, "x".repeat(500)).length < 100);
});
