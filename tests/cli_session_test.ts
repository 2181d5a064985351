/**
 * How the CLI ends and traces a session with a board, through `runCli` against simulated boards:
 * `flash --after soft-reset` leaves the board running the firmware it wrote (seen on the board
 * behind an RFC 2217 server, and by a following `smoke --reset none` that only reads and types);
 * `--trace` puts every frame in hex on stderr and nothing on stdout; `--connect-attempts N`
 * gives up on a board that never answers after exactly N attempts and says so (exit 1).
 */

import assert from "node:assert/strict";
import { buildNodemcuFirmware } from "../lib/testing/nodemcu_firmware.ts";
import type { SimEvent } from "../lib/sim/sim_event.ts";
import { startSimServer } from "../lib/sim/sim_server.ts";
import { type CliRun, runCli, withTempDir } from "./support/run_cli.ts";

const FIRMWARE = buildNodemcuFirmware({ totalSize: 0x40000, flashSize: "4MB", flashMode: "dio" });
/** The SYNC request packet (docs/protocol.md): 00 08 24 00, checksum 0, 07 07 12 20, 32 × 55. */
const SYNC_HEX = `00 08 24 00 00 00 00 00 07 07 12 20${" 55".repeat(32)}`;

function resultOf(run: CliRun): Record<string, unknown> {
  const lines = run.json();
  assert.equal(lines.at(-1)?.type, "result", run.stdout);
  return lines.at(-1)!;
}

/**
 * Flashes the NodeMCU image with `flash --after soft-reset` (plus `extra` global flags) onto an
 * erased devkit served over RFC 2217, so the board outlives the CLI; returns the run, the board's
 * boot events after it and a `smoke --reset none --json` result read from the same board.
 */
async function flashSoftReset(extra: string[]) {
  const boots: Array<Extract<SimEvent, { type: "boot" }>> = [];
  const server = await startSimServer({
    kind: "rfc2217",
    boardOptions: { onEvent: (e) => void (e.type === "boot" && boots.push(e)) },
  });
  try {
    await server.board.idle();
    assert.equal(server.board.nodemcu, undefined, "erased flash: nothing runs before the flash");
    return await withTempDir(async (dir) => {
      const image = `${dir}/nodemcu.bin`;
      await Deno.writeFile(image, FIRMWARE.combined);
      const run = await runCli([
        "-p",
        server.url,
        ...extra,
        "flash",
        "--after",
        "soft-reset",
        image,
      ]);
      assert.equal(run.code, 0, run.stderr);
      const afterFlash = boots.length;
      // The last request may still be on its way through the socket when the CLI has exited.
      for (let i = 0; i < 200 && server.board.state !== "app"; i++) {
        await new Promise((r) => setTimeout(r, 10));
      }
      await server.board.idle();
      const state = server.board.state;
      const ready = server.board.nodemcu?.ready;
      const smoke = await runCli(["-p", server.url, "smoke", "--reset", "none", "--json"]);
      return { run, boots: boots.slice(afterFlash - 1), state, ready, smoke };
    });
  } finally {
    await server.close();
  }
}

Deno.test("flash --after soft-reset through the ROM (--no-stub): the loader starts the firmware, no reset", async () => {
  const r = await flashSoftReset(["--no-stub"]);
  assert.equal(r.state, "app");
  assert.equal(r.ready, true, "NodeMCU is at its prompt");
  // The last reset was the one into download mode: the firmware was started by the loader.
  assert.deepEqual(r.boots.map((b) => [b.kind, b.mode]), [["external", "download"]]);
  assert.match(r.run.stderr, /^Soft reset: the loader started the firmware\.$/m);
  const smoke = resultOf(r.smoke);
  assert.equal(r.smoke.code, 0, r.smoke.stderr);
  assert.equal(smoke.ok, true);
  assert.equal(smoke.phase, "probed", "the prompt answered a probe without any reset");
});

Deno.test("flash --after soft-reset with the stub: the board ends up running the firmware, and says how", async () => {
  // The esp-flasher-stub does not implement RUN_USER_CODE (docs/protocol.md §4.5, §10.6): the
  // flasher falls back to the hard reset and says so, rather than claim a soft reset it did not do.
  const r = await flashSoftReset([]);
  assert.equal(r.state, "app", r.run.stderr);
  assert.equal(r.ready, true, "NodeMCU is at its prompt");
  assert.deepEqual(r.boots.map((b) => [b.kind, b.mode]), [
    ["external", "download"],
    ["external", "flash"],
  ]);
  assert.match(r.run.stderr, /^note: .*esp-flasher-stub.*hard reset/m);
  assert.doesNotMatch(r.run.stderr, /Soft reset: the loader started the firmware/);
  assert.equal(r.smoke.code, 0, r.smoke.stderr);
  assert.equal(resultOf(r.smoke).phase, "probed");
});

Deno.test("--trace: every frame in hex on stderr (the SYNC request and its reply), none on stdout", async () => {
  const words = await runCli(["-p", "sim://", "--trace", "info"]);
  assert.equal(words.code, 0, words.stderr);
  assert.match(
    words.stderr,
    new RegExp(`^TRACE [\\d.]+ --> SYNC \\(44 bytes\\): ${SYNC_HEX}$`, "m"),
  );
  // The ROM's answer: direction 1, op 08, 2 bytes, value 0x20120707, status 0 0.
  assert.match(
    words.stderr,
    /^TRACE [\d.]+ <-- frame \(10 bytes\): 01 08 02 00 07 07 12 20 00 00$/m,
  );
  assert.match(words.stderr, /^TRACE [\d.]+ --> READ_REG /m, "later commands are traced too");
  assert.match(words.stdout, /^MAC: 5c:cf:7f:00:00:01$/m, "stdout keeps the command's own output");
  assert.doesNotMatch(words.stdout, /TRACE|00 08 24 00/);

  const json = await runCli(["-p", "sim://", "--trace", "--json", "info"]);
  assert.equal(json.code, 0, json.stderr);
  assert.match(json.stderr, new RegExp(`--> SYNC \\(44 bytes\\): ${SYNC_HEX}$`, "m"));
  assert.doesNotMatch(json.stdout, /TRACE/);
  assert.equal(resultOf(json).ok, true, "stdout is still NDJSON only");

  const quiet = await runCli(["-p", "sim://", "info"]);
  assert.doesNotMatch(quiet.stderr, /TRACE/, "no trace without --trace");
});

Deno.test("--connect-attempts N: a devkit without the reset circuit gives up after N attempts (exit 1)", async () => {
  // Erased flash, booting from flash, the lines wired to nothing: nothing ever answers a SYNC.
  const run = await runCli([
    "-p",
    "sim://?boot=flash&reset=manual",
    "--connect-attempts",
    "3",
    "--json",
    "info",
  ]);
  assert.equal(run.code, 1, run.stderr);
  const attempts = run.json().filter((e) => e.type === "connect-attempt");
  assert.deepEqual(attempts.map((e) => e.attempt), [1, 2, 3]);
  const error = resultOf(run).error as Record<string, unknown>;
  assert.equal(error.code, "connect/no-response");
  assert.match(String(error.message), /after 3 attempts$/);
  assert.match(run.stderr, /^error: No response from a board on sim:\/\/\S+ after 3 attempts$/m);
});

Deno.test("--connect-attempts N: a raw TCP socket that never answers gets N attempts' SYNCs, then exit 1", async () => {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const received: number[] = [];
  const serving = (async () => {
    for await (const conn of listener) {
      const buffer = new Uint8Array(4096);
      for (;;) {
        const n = await conn.read(buffer).catch(() => null);
        if (n === null) break;
        received.push(...buffer.subarray(0, n));
      }
      conn.close();
    }
  })();
  try {
    const { port } = listener.addr as Deno.NetAddr;
    const run = await runCli([
      "-p",
      `socket://127.0.0.1:${port}`,
      "--connect-attempts",
      "2",
      "info",
    ]);
    assert.equal(run.code, 1, run.stderr);
    assert.match(run.stderr, /^error: No response from a board on socket:\S+ after 2 attempts$/m);
    assert.match(run.stderr, /attempt 2/);
    assert.doesNotMatch(run.stderr, /attempt 3/);
    // What reached the socket: 5 SLIP-framed SYNC requests per attempt, nothing after.
    const wire = received.map((b) => b.toString(16).padStart(2, "0")).join(" ");
    assert.equal(wire.split(`c0 ${SYNC_HEX} c0`).length - 1, 10, wire.slice(0, 400));
  } finally {
    listener.close();
    await serving.catch(() => {});
  }
});
