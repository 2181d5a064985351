/**
 * Interrupts are the user's: `nodeflash` as a separate program gets a real SIGINT (Ctrl-C) or
 * SIGTERM in the middle of a write, on an in-process `sim://` board, behind `nodeflash sim
 * --rfc2217`, behind `nodeflash sim --pty` (a serial port opened through the FFI code, with its
 * UUCP lock file and flock), and in `demo`: it stops at once, prints `interrupted` with the
 * address reached, exits 130 (143 for SIGTERM) and leaves the port free for the next program. A
 * crash of nodeflash itself exits 70, and `--help` lists the codes.
 */

import assert from "node:assert/strict";
import { fileURLToPath } from "node:url";
import { main } from "../lib/cli/main.ts";
import type { Command } from "../lib/cli/command.ts";
import { buildNodemcuFirmware } from "../lib/testing/nodemcu_firmware.ts";
import { lockFileName } from "../lib/transport/serial/port_lock.ts";
import { spawnSim } from "./support/sim_process.ts";
import { runCli, withTempDir } from "./support/run_cli.ts";

const MOD = fileURLToPath(new URL("../mod.ts", import.meta.url));
const CONFIG = fileURLToPath(new URL("../deno.json", import.meta.url));

/** A 1 MB image: long enough to be interrupted on a board that takes the time a real one does. */
const IMAGE = buildNodemcuFirmware({ totalSize: 1 << 20 }).combined;

interface Stopped {
  code: number;
  stderr: string;
  /** Milliseconds from the signal to the exit. */
  afterSignalMs: number;
}

/**
 * Runs `nodeflash ...args`, sends `signal` once stderr matches `when` (after `before` ran), and
 * waits for the exit.
 */
async function interrupt(
  args: string[],
  when: RegExp,
  signal: Deno.Signal,
  before: (child: Deno.ChildProcess) => Promise<void> = () => Promise.resolve(),
): Promise<Stopped> {
  const child = new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", "--config", CONFIG, MOD, ...args],
    stdin: "null",
    stdout: "null",
    stderr: "piped",
  }).spawn();
  let stderr = "";
  let sent = false;
  let sentAt = 0;
  const decoder = new TextDecoder();
  for await (const chunk of child.stderr) {
    stderr += decoder.decode(chunk, { stream: true });
    if (!sent && when.test(stderr)) {
      sent = true;
      await before(child);
      child.kill(signal);
      sentAt = performance.now();
    }
  }
  const status = await child.status;
  return { code: status.code, stderr, afterSignalMs: performance.now() - sentAt };
}

const WRITING = /Writing .* [1-9]\d* %/;
const INTERRUPTED = /^interrupted: Writing .*fw\.bin stopped at 0x[0-9a-f]{8} \(\d+ of 1048576/m;

Deno.test("Ctrl-C during a write on sim://: exit 130 at once, 'interrupted' with the address reached", async () => {
  await withTempDir(async (dir) => {
    await Deno.writeFile(`${dir}/fw.bin`, IMAGE);
    const run = await interrupt(
      ["flash", "--port", "sim://?realtime", `${dir}/fw.bin`],
      WRITING,
      "SIGINT",
    );
    assert.equal(run.code, 130, run.stderr);
    assert.match(run.stderr, INTERRUPTED);
    // the port closing under Ctrl-C is not repeated as a cause; the hint says how to go on
    assert.match(
      run.stderr,
      /acknowledged, region 0x00000000-0x00100000\)\nhint: .*run the same command again/,
    );
    assert.doesNotMatch(run.stderr, /Wrote|verified/);
  });
});

Deno.test("Ctrl-C during an upload: exit 130, the bytes reached, and that the old file is kept", async () => {
  await withTempDir(async (dir) => {
    await Deno.writeFile(`${dir}/fw.bin`, IMAGE);
    await Deno.writeFile(`${dir}/data.bin`, new Uint8Array(30_000).map((_, i) => (i * 7) & 0xff));
    const board = `flash-file=${dir}/board.bin`;
    // flashed and booted once on the instant clock (the first boot formats the file system)
    const flashed = await runCli([
      "flash",
      "--port",
      `sim://?${board}`,
      `${dir}/fw.bin`,
      "--smoke",
      "-q",
    ]);
    assert.equal(flashed.code, 0, flashed.stderr);
    const run = await interrupt(
      ["upload", "--port", `sim://?realtime&${board}`, `${dir}/data.bin`],
      /Uploading data\.bin\.\.\. [1-9]\d* %/,
      "SIGINT",
    );
    assert.equal(run.code, 130, run.stderr);
    assert.match(
      run.stderr,
      /^interrupted: Upload of data\.bin to \S+ stopped after \d+ of 30000 bytes\n/m,
    );
    assert.match(run.stderr, /^hint: The board still has its previous data\.bin/m);
    assert.doesNotMatch(run.stderr, /closed while nodeflash waited|Uploaded/);
  });
});

Deno.test("SIGTERM during a write: exit 143, 'interrupted' with the address reached", async () => {
  await withTempDir(async (dir) => {
    await Deno.writeFile(`${dir}/fw.bin`, IMAGE);
    const run = await interrupt(
      ["flash", "--port", "sim://?realtime", `${dir}/fw.bin`],
      WRITING,
      "SIGTERM",
    );
    assert.equal(run.code, 143, run.stderr);
    assert.match(run.stderr, INTERRUPTED);
  });
});

Deno.test("Ctrl-C during a write over RFC 2217: exit 130, and the port is free for the next program", async () => {
  const sim = await spawnSim(["--rfc2217", "127.0.0.1:0", "--realtime"]);
  try {
    await withTempDir(async (dir) => {
      await Deno.writeFile(`${dir}/fw.bin`, IMAGE);
      const run = await interrupt(["flash", "--port", sim.url, `${dir}/fw.bin`], WRITING, "SIGINT");
      assert.equal(run.code, 130, run.stderr);
      assert.match(run.stderr, INTERRUPTED);
    });
    // the interrupted program let go of the port: the next one connects at once
    const info = await runCli(["info", "--port", sim.url, "--connect-attempts", "1", "--trace"]);
    assert.equal(info.code, 0, info.stderr);
  } finally {
    await sim.stop();
  }
});

/** Where the serial code puts UUCP lock files (port_lock.ts), when this machine has one. */
const LOCK_DIR = ["/run/lock", "/var/lock"].find((dir) => {
  try {
    return Deno.statSync(dir).isDirectory;
  } catch {
    return false;
  }
});

Deno.test({
  name:
    "Ctrl-C during a write on a serial port (a pty): exit 130, the lock file and the flock gone, the next program opens it at once",
  ignore: Deno.build.os !== "linux" || LOCK_DIR === undefined,
  async fn() {
    // a board in its loader behind a pseudo-terminal, opened through the FFI serial code
    const sim = await spawnSim(["--pty", "--realtime"]);
    const lockFile = `${LOCK_DIR}/${lockFileName(await Deno.realPath(sim.url))}`;
    try {
      await withTempDir(async (dir) => {
        await Deno.writeFile(`${dir}/fw.bin`, IMAGE);
        let owner = "";
        const run = await interrupt(
          ["flash", "--port", sim.url, `${dir}/fw.bin`],
          WRITING,
          "SIGINT",
          async (child) => {
            // the writer holds the port: its pid is in the lock file
            owner = (await Deno.readTextFile(lockFile)).trim();
            assert.equal(owner, String(child.pid));
          },
        );
        assert.equal(run.code, 130, run.stderr);
        assert.match(run.stderr, INTERRUPTED);
        assert.notEqual(owner, "");
      });
      // the interrupted program removed its lock file and closed the port (so its flock too)
      await assert.rejects(Deno.stat(lockFile), Deno.errors.NotFound);
      // the next program opens it at once and finds the stub the first one left mid-write
      await withTempDir(async (dir) => {
        const read = await runCli([
          "read",
          "--port",
          sim.url,
          "0x1000",
          "0x1000",
          `${dir}/out.bin`,
        ]);
        assert.equal(read.code, 0, read.stderr);
        assert.doesNotMatch(read.stderr, /lock|busy/i);
        assert.match(read.stderr, /A flasher stub is already running on the board/);
        assert.deepEqual(await Deno.readFile(`${dir}/out.bin`), IMAGE.subarray(0x1000, 0x2000));
      });
    } finally {
      await sim.stop();
    }
  },
});

Deno.test("Ctrl-C during demo (an in-process board): exit 130", async () => {
  const run = await interrupt(["demo", "--port", "sim://?realtime"], WRITING, "SIGINT");
  assert.equal(run.code, 130, run.stderr);
  assert.match(run.stderr, /^interrupted: Writing nodemcu-sample\.bin stopped at 0x[0-9a-f]{8}/m);
});

Deno.test("Ctrl-C during the smoke test: exit 130, 'interrupted', no diagnosis of the board", async () => {
  await withTempDir(async (dir) => {
    await Deno.writeFile(`${dir}/fw.bin`, IMAGE);
    const board = `flash-file=${dir}/board.bin`;
    const flashed = await runCli(["flash", "--port", `sim://?${board}`, `${dir}/fw.bin`, "-q"]);
    assert.equal(flashed.code, 0, flashed.stderr);
    // the first boot formats the file system in real time: the smoke test is still watching
    const port = `sim://?realtime&${board}`;
    const run = await interrupt(["smoke", "--port", port], /Board: formatting/, "SIGINT");
    assert.equal(run.code, 130, run.stderr);
    // "at once": long before the board's first-boot format (about 35 s in real time) would end
    assert.ok(run.afterSignalMs < 15_000, `exited ${run.afterSignalMs} ms after the signal`);
    assert.match(run.stderr, /^interrupted$/m);
    assert.doesNotMatch(run.stderr, /Smoke test failed|^error:/m);
  });
});

const crashing: Command = {
  name: "crash",
  aliases: [],
  summary: "a command with a bug",
  usage: "crash",
  options: {},
  run: () => Promise.reject(new TypeError("Cannot read properties of undefined")),
};

Deno.test("a bug in nodeflash exits 70 with its stack, distinct from a failed board (1) and bad input (2)", async () => {
  let stderr = "";
  let stdout = "";
  const code = await main(["crash", "--json"], {
    stdout: (t) => stdout += t,
    stderr: (t) => stderr += t,
    stderrIsTerminal: false,
    env: () => undefined,
  }, [crashing]);
  assert.equal(code, 70);
  assert.match(stderr, /^error: internal error \(a bug in nodeflash, please report it\)/m);
  assert.match(stderr, /TypeError: Cannot read properties of undefined\n\s+at /);
  const result = JSON.parse(stdout.trim().split("\n").at(-1)!);
  assert.deepEqual([result.ok, result.error.kind], [false, "bug"]);
});

Deno.test("--help lists the exit codes", async () => {
  for (const args of [["--help"], ["flash", "--help"]]) {
    const run = await runCli(args);
    assert.equal(run.code, 0);
    assert.match(run.stdout, /Exit codes: 0 done; 1 the board.*; 2 bad usage\nor input; 70 a bug/);
    assert.match(run.stdout, /130 interrupted \(Ctrl-C\); 143 terminated\n\(SIGTERM\)/);
  }
});
