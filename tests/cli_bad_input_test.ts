/**
 * Every bad input gets exit code 2 and a short message: at most 4 lines, no stack trace, no
 * usage dump; checked before any board is touched (the port here is a path that does not exist,
 * so reaching it would be a different error).
 */

import assert from "node:assert/strict";
import { buildImage } from "../lib/testing/build_image.ts";
import { runCli, withTempDir } from "./support/run_cli.ts";

const NO_PORT = ["--port", "/dev/nodeflash-test-no-such-port"];

Deno.test("bad input: exit 2, one short message, nothing touched", async () => {
  await withTempDir(async (dir) => {
    const fw = `${dir}/fw.bin`;
    const small = `${dir}/small.bin`;
    const text = `${dir}/notes.txt`;
    await Deno.writeFile(
      fw,
      buildImage({ segments: [{ address: 0x40100000, data: new Uint8Array(64) }] }),
    );
    await Deno.writeFile(small, new Uint8Array(0x3000).fill(1));
    await Deno.writeTextFile(text, "this is not firmware\n");
    const empty = `${dir}/empty.bin`;
    await Deno.writeFile(empty, new Uint8Array());
    const big = `${dir}/big.bin`;
    await Deno.writeFile(big, new Uint8Array((1 << 20) + 16));
    const cases: Array<[string, string[], RegExp]> = [
      ["unknown command", ["flsh", fw], /Unknown command 'flsh'/],
      [
        "unknown option",
        [...NO_PORT, "flash", "--frobnicate", fw],
        /Unknown option '--frobnicate' for 'flash'/,
      ],
      [
        "missing file",
        [...NO_PORT, "flash", `${dir}/nope.bin`],
        /Cannot read .*nope\.bin: no such file/,
      ],
      [
        "unaligned address",
        [...NO_PORT, "flash", "0x1234", fw],
        /0x00001234 is not a multiple of 0x1000/,
      ],
      ["address not a number", [...NO_PORT, "flash", "0x1g000", fw], /'0x1g000' is not an address/],
      ["overlapping files", [...NO_PORT, "flash", "0x0", small, "0x2000", fw], /overlaps/],
      [
        "unknown flash size",
        [...NO_PORT, "flash", "--flash-size", "3MB", fw],
        /Unknown flash size '3MB'/,
      ],
      ["unknown flash mode", [...NO_PORT, "flash", "-fm", "fast", fw], /flash mode/i],
      [
        "baud not a number",
        [...NO_PORT, "--baud", "fast", "flash", fw],
        /--baud must be a whole number/,
      ],
      [
        "image larger than the flash",
        [...NO_PORT, "flash", "-fs", "1MB", big],
        /larger than the 1MB flash/,
      ],
      [
        "file past the end",
        [...NO_PORT, "flash", "-fs", "1MB", "0xff000", small],
        /runs past the end of the 1MB flash/,
      ],
      ["image-info on a non-image", ["image-info", text], /not an ESP8266 firmware image/],
      [
        "merge with overlapping files",
        ["merge", "-o", `${dir}/o.bin`, "0x0", small, "0x1000", fw],
        /overlap/,
      ],
      [
        "erase-region unaligned address",
        [...NO_PORT, "erase-region", "0x1800", "0x1000"],
        /not a multiple of 0x1000/,
      ],
      [
        "erase-region unaligned size",
        [...NO_PORT, "erase-region", "0x1000", "0x800"],
        /not a multiple of 0x1000/,
      ],
      ["read without a size", [...NO_PORT, "read", "0x0", `${dir}/out.bin`], /needs a SIZE/],
      [
        "unknown --init-data",
        [...NO_PORT, "flash", "--init-data", "fancy", fw],
        /Unknown --init-data value 'fancy'/,
      ],
      [
        "unknown chip",
        [...NO_PORT, "--chip", "esp32", "flash", fw],
        /'--chip esp32' is not supported/,
      ],
      [
        "unknown --before",
        [...NO_PORT, "--before", "usb-reset", "flash", fw],
        /Unknown --before value/,
      ],
      ["bad reset sequence", [...NO_PORT, "--before", "D0|X9", "flash", fw], /Bad step 'X9'/],
      [
        "odd number of flash arguments",
        [...NO_PORT, "flash", "0x0", fw, "0x10000"],
        /ADDRESS FILE pairs/,
      ],
      // every board command checks its options and files before it opens the port
      [
        "read: unknown --before",
        [...NO_PORT, "--before", "usb-reset", "read", "0", "0x1000", `${dir}/out.bin`],
        /Unknown --before value 'usb-reset'/,
      ],
      [
        "read: unknown --after",
        [...NO_PORT, "--after", "reboot-now", "read", "0", "0x1000", `${dir}/out.bin`],
        /Unknown --after value 'reboot-now'/,
      ],
      [
        "read: size not a number",
        [...NO_PORT, "read", "0x0", "lots", `${dir}/out.bin`],
        /'lots' is not a size/,
      ],
      [
        "read: past 16 MB",
        [...NO_PORT, "read", "0xfff000", "0x2000", `${dir}/out.bin`],
        /goes past 16 MB/,
      ],
      [
        "read: into a directory that does not exist",
        [...NO_PORT, "read", "0x0", "0x1000", `${dir}/no-such-dir/out.bin`],
        /Cannot write .*no-such-dir\/out\.bin: its folder does not exist/,
      ],
      [
        "backup: into a folder",
        [...NO_PORT, "backup", dir],
        /Cannot write .*: it is a folder/,
      ],
      [
        "read: --no-stub",
        [...NO_PORT, "--no-stub", "read", "0x0", "0x1000", `${dir}/out.bin`],
        /needs the flasher stub/,
      ],
      [
        "backup: bad reset sequence",
        [...NO_PORT, "--before", "D0|X9", "backup", `${dir}/out.bin`],
        /Bad step 'X9'/,
      ],
      [
        "backup: unknown --after",
        [...NO_PORT, "--after", "reboot-now", "backup", `${dir}/out.bin`],
        /Unknown --after value/,
      ],
      [
        "erase: unknown --before",
        [...NO_PORT, "--before", "usb-reset", "erase"],
        /Unknown --before value/,
      ],
      ["erase: unknown --after", [...NO_PORT, "--after", "reboot-now", "erase"], /--after value/],
      ["erase: --no-stub", [...NO_PORT, "--no-stub", "erase"], /needs the flasher stub/],
      [
        "flash: --no-stub with --erase all",
        [...NO_PORT, "--no-stub", "flash", fw, "--erase", "all"],
        /Erasing the whole chip needs the flasher stub/,
      ],
      [
        "flash: --no-stub with compression",
        [...NO_PORT, "--no-stub", "flash", fw, "-z"],
        /Compression needs the flasher stub/,
      ],
      [
        "erase-region: unknown --before",
        [...NO_PORT, "--before", "usb-reset", "erase-region", "0x3fd000", "0x3000"],
        /Unknown --before value/,
      ],
      [
        "erase-region: unknown --after",
        [...NO_PORT, "--after", "reboot-now", "erase-region", "0x3fd000", "0x3000"],
        /Unknown --after value/,
      ],
      [
        "erase-region: size not a number",
        [...NO_PORT, "erase-region", "0x3fd000", "three"],
        /'three' is not a size/,
      ],
      [
        "erase-region: past 16 MB",
        [...NO_PORT, "erase-region", "0x1000000", "0x1000"],
        /goes past 16 MB/,
      ],
      ["info: unknown --before", [...NO_PORT, "--before", "usb-reset", "info"], /--before value/],
      ["info: unknown --after", [...NO_PORT, "--after", "reboot-now", "info"], /--after value/],
      [
        "restore: missing file",
        [...NO_PORT, "restore", `${dir}/nope.bin`],
        /Cannot read .*nope\.bin: no such file/,
      ],
      ["restore: empty file", [...NO_PORT, "restore", empty], /empty\.bin is empty/],
      [
        "restore: unknown --before",
        [...NO_PORT, "--before", "usb-reset", "restore", small],
        /Unknown --before value/,
      ],
      [
        "restore: unknown --after",
        [...NO_PORT, "--after", "reboot-now", "restore", small],
        /Unknown --after value/,
      ],
    ];
    const badLog = `${dir}/no-such-folder/boot.log`;
    const logMessage =
      /Cannot open the log file .*no-such-folder\/boot\.log: its folder does not exist/;
    try {
      // Unwritable even for root (a sysfs attribute without a write handler).
      (await Deno.open("/sys/kernel/notes", { write: true })).close();
    } catch (e) {
      if (e instanceof Deno.errors.PermissionDenied) {
        cases.push([
          "read: into a file without write permission",
          [...NO_PORT, "read", "0x0", "0x1000", "/sys/kernel/notes"],
          /^error: Cannot write \/sys\/kernel\/notes: permission denied/,
        ]);
      }
    }
    cases.push(
      ["smoke --log in a missing folder", [...NO_PORT, "smoke", "--log", badLog], logMessage],
      ["flash --smoke --log", [...NO_PORT, "flash", "--smoke", "--log", badLog, fw], logMessage],
      ["monitor --log", [...NO_PORT, "monitor", "--log", badLog], logMessage],
      ["sim --log", ["sim", "--tcp", "127.0.0.1:0", "--log", badLog], logMessage],
    );
    for (const [name, args, message] of cases) {
      const run = await runCli(args);
      assert.equal(run.code, 2, `${name}: exit code (stderr: ${run.stderr})`);
      assert.match(run.stderr, message, name);
      const lines = run.stderr.trimEnd().split("\n");
      assert.ok(lines.length <= 4, `${name}: ${lines.length} lines`);
      assert.doesNotMatch(run.stderr, /^\s+at /m, `${name}: stack trace`);
      assert.doesNotMatch(run.stderr, /Usage:/, `${name}: usage dump`);
      assert.match(run.stderr, /^error: .*\nhint: /, `${name}: error and hint`);
    }
    await assert.rejects(Deno.stat(`${dir}/o.bin`), Deno.errors.NotFound, "merge wrote nothing");
  });
});

Deno.test("bad input with --json: the result object carries the error, stdout is only JSON", async () => {
  const run = await runCli(["--json", "flsh"]);
  assert.equal(run.code, 2);
  const [result] = run.json();
  assert.equal(result?.type, "result");
  assert.equal(result?.ok, false);
  assert.equal((result?.error as Record<string, unknown>).code, "cli/unknown-command");
});

Deno.test("esptool's command line and nodeflash's both parse; global options go anywhere", async () => {
  await withTempDir(async (dir) => {
    const fw = `${dir}/fw.bin`;
    await Deno.writeFile(
      fw,
      buildImage({ segments: [{ address: 0x40100000, data: new Uint8Array(64) }] }),
    );
    for (
      const args of [
        [
          "--port",
          "/dev/nodeflash-test-no-such-port",
          "write_flash",
          "-fm",
          "dio",
          "-fs",
          "32m",
          "0x00000",
          fw,
        ],
        ["flash", "--port", "/dev/nodeflash-test-no-such-port", "--flash_mode", "dio", fw],
        ["--chip", "esp8266", "-p", "/dev/nodeflash-test-no-such-port", "write-flash", "-z", fw],
      ]
    ) {
      const run = await runCli(args);
      // parsing succeeded: the failure is about the port, a device error (exit 1)
      assert.equal(run.code, 1, `${args.join(" ")}: ${run.stderr}`);
      assert.match(run.stderr, /nodeflash-test-no-such-port/);
    }
  });
});

Deno.test("help and version print and exit 0", async () => {
  const help = await runCli(["--help"]);
  assert.equal(help.code, 0);
  assert.match(help.stdout, /Commands:\n\s+flash/);
  const flashHelp = await runCli(["write_flash", "--help"]);
  assert.match(flashHelp.stdout, /Usage: nodeflash flash/);
  const version = await runCli(["--version"]);
  assert.match(version.stdout, /^nodeflash \d+\.\d+\.\d+\n$/);
});

Deno.test("flash sizes: megabit names get a note, spellings that read two ways are refused", async () => {
  await withTempDir(async (dir) => {
    const fw = `${dir}/fw.bin`;
    await Deno.writeFile(
      fw,
      buildImage({ segments: [{ address: 0x40100000, data: new Uint8Array(64) }] }),
    );
    for (
      const args of [["flash", ...NO_PORT, "-fs", "4M", fw], [
        "merge",
        "-o",
        `${dir}/o.bin`,
        "-fs",
        "4M",
        "0x0",
        fw,
      ]]
    ) {
      const run = await runCli(args);
      assert.equal(run.code, 2, run.stderr);
      assert.match(
        run.stderr,
        /^error: The flash size '4M' is ambiguous: 4 megabytes is 4MB, 4 megabits is 512KB\n/,
      );
      assert.match(run.stderr, /hint: Write 4MB for megabytes, or 512KB or 4m/);
    }
    // The guide's spelling works, and says what it means.
    const merged = await runCli(["merge", "-o", `${dir}/o.bin`, "-fs", "32m", "0x0", fw]);
    assert.equal(merged.code, 0, merged.stderr);
    assert.match(merged.stderr, /^note: 32m is the NodeMCU guide's megabit name: 32 Mbit = 4MB$/m);
    assert.equal((await Deno.readFile(`${dir}/o.bin`))[3]! >> 4, 0x4, "4MB in the header");
  });
});

Deno.test("flash sizes: a size unlike the chip's is a warning; larger than the chip is refused unless --force", async () => {
  await withTempDir(async (dir) => {
    const fw = `${dir}/fw.bin`;
    await Deno.writeFile(
      fw,
      buildImage({ segments: [{ address: 0x40100000, data: new Uint8Array(64) }] }),
    );
    const board = `sim://?flash-size=1MB&flash-file=${dir}/board.bin`;
    const smaller = await runCli(["flash", "-p", board, "-fs", "512KB", fw]);
    assert.equal(smaller.code, 0, smaller.stderr);
    assert.match(
      smaller.stderr,
      /^warning: The flash size 512KB was given, but the chip reports 1MB; using 512KB$/m,
    );
    const larger = await runCli(["flash", "-p", board, "-fs", "4MB", "--json", fw]);
    assert.equal(larger.code, 2, larger.stderr);
    const error = larger.json().at(-1)!.error as { code: string; message: string; hint: string };
    assert.equal(error.code, "flash/size-exceeds-chip");
    assert.match(error.message, /4MB is larger than the chip's 1MB/);
    assert.match(error.hint, /--force/);
    const board1 = await Deno.readFile(`${dir}/board.bin`);
    assert.equal(board1[3]! >> 4, 0x0, "the board still holds the 512KB header: nothing written");
    const forced = await runCli(["flash", "-p", board, "-fs", "4MB", "--force", fw]);
    assert.equal(forced.code, 0, forced.stderr);
    assert.match(
      forced.stderr,
      /^warning: The flash size 4MB was given, but the chip reports 1MB/m,
    );
    assert.equal((await Deno.readFile(`${dir}/board.bin`))[3]! >> 4, 0x4, "4MB in the header");
  });
});
