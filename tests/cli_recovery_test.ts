/**
 * Recovery through the CLI: a board behind `nodeflash sim --rfc2217`'s server whose cable is
 * pulled mid-write and plugged back in (the port is waited for and reopened, `--reconnect-wait`),
 * the same on a pty that disappears and comes back under its link name, a port that does not
 * come back in time, a board that keeps restarting, and `--retries` / `--reconnect-wait` on the
 * command line. Every run that exits 0 is checked on the board's flash.
 */

import assert from "node:assert/strict";
import { buildNodemcuFirmware } from "../lib/testing/nodemcu_firmware.ts";
import type { SimBoard } from "../lib/sim/board.ts";
import { startSimServer } from "../lib/sim/sim_server.ts";
import { type CliRun, runCli, withTempDir } from "./support/run_cli.ts";

const FW = buildNodemcuFirmware({}).combined;

/** Runs `nodeflash flash` onto a board served with `faults`, from a temporary image file. */
async function flashServed(
  server: { url: string; board: SimBoard },
  args: string[] = [],
  port = server.url,
): Promise<CliRun> {
  return await withTempDir(async (dir) => {
    await Deno.writeFile(`${dir}/fw.bin`, FW);
    return await runCli(["flash", "--port", port, ...args, `${dir}/fw.bin`]);
  });
}

const holds = (board: SimBoard) => board.flash.read(0x1000, FW.length - 0x1000);
const expected = FW.subarray(0x1000); // the header at 0x0 gets the detected size

function resultOf(run: CliRun): Record<string, unknown> {
  const last = run.json().at(-1);
  assert.equal(last?.type, "result", run.stdout);
  return last!;
}

Deno.test("rfc2217: the cable pulled mid-write and plugged back in: reopened, resumed, verified (exit 0)", async () => {
  const server = await startSimServer({
    kind: "rfc2217",
    boardOptions: { faults: "unplug=90000,replug=400" },
  });
  try {
    const run = await flashServed(server, ["--json"]);
    assert.equal(run.code, 0, run.stderr);
    const events = run.json();
    const recovered = events.filter((e) => e.type === "recovered");
    assert.deepEqual(recovered.map((e) => [e.cause, e.action]), [["port-lost", "reopened"]]);
    assert.ok(events.some((e) => e.type === "note" && e.code === "port/waiting"));
    const result = resultOf(run);
    assert.equal(result.ok, true);
    assert.equal(result.recoveries, 1);
    assert.deepEqual(holds(server.board), expected);
  } finally {
    await server.close();
  }
});

Deno.test("rfc2217: one line per recovery on stderr, naming the cause and the address", async () => {
  const server = await startSimServer({
    kind: "rfc2217",
    boardOptions: { faults: "unplug=90000,replug=300" },
  });
  try {
    const run = await flashServed(server);
    assert.equal(run.code, 0, run.stderr);
    const lines = run.stderr.split("\n").filter((l) => l.startsWith("Recovered"));
    assert.equal(lines.length, 1, run.stderr);
    assert.match(
      lines[0]!,
      /^Recovered \(1\): the port went away while writing .*fw\.bin at 0x[0-9a-f]{8}; the port is back/,
    );
    assert.deepEqual(holds(server.board), expected);
  } finally {
    await server.close();
  }
});

Deno.test("--reconnect-wait 0: a port that goes away ends the job with the address reached (exit 1)", async () => {
  const server = await startSimServer({
    kind: "rfc2217",
    boardOptions: { faults: "unplug=90000,replug=300" },
  });
  try {
    const run = await flashServed(server, ["--reconnect-wait", "0"]);
    assert.equal(run.code, 1, run.stderr);
    assert.match(run.stderr, /^error: Writing .*fw\.bin stopped at 0x[0-9a-f]{8} \(\d+ of 409600/m);
    assert.match(run.stderr, /^hint: Reconnect the board and run the same command again/m);
  } finally {
    await server.close();
  }
});

Deno.test("a port that does not come back within --reconnect-wait: port/gone, with the address reached", async () => {
  const server = await startSimServer({
    kind: "rfc2217",
    boardOptions: { faults: "unplug=90000,replug=20000" },
  });
  try {
    const run = await flashServed(server, ["--reconnect-wait", "0.3", "--json"]);
    assert.equal(run.code, 1, run.stderr);
    const error = resultOf(run).error as Record<string, unknown>;
    assert.equal(error.code, "flash/interrupted");
    assert.equal(error.reason, "port/gone");
    assert.match(String(error.message), /did not come back within 0\.3 s/);
    assert.equal(typeof error.reached, "number");
  } finally {
    await server.close();
  }
});

Deno.test("pty: a port that disappears and comes back under its name is reopened (exit 0)", async () => {
  await withTempDir(async (dir) => {
    const link = `${dir}/ttyUSB-sim`;
    const server = await startSimServer({
      kind: "pty",
      ptyLink: link,
      boardOptions: { faults: "unplug=90000,replug=400" },
    });
    try {
      assert.equal(server.url, link);
      const run = await flashServed(server, ["--json"], link);
      assert.equal(run.code, 0, run.stderr);
      const recovered = run.json().filter((e) => e.type === "recovered");
      assert.deepEqual(recovered.map((e) => e.cause), ["port-lost"]);
      assert.deepEqual(holds(server.board), expected);
    } finally {
      await server.close();
    }
  });
});

Deno.test("a board that keeps restarting: exit 1 with a power error, not endless retries", async () => {
  const server = await startSimServer({
    kind: "rfc2217",
    boardOptions: { faults: "brownout-every=200" },
  });
  try {
    const run = await flashServed(server, ["--retries", "20"]);
    assert.equal(run.code, 1, run.stderr);
    assert.match(run.stderr, /^error: The board on rfc2217:\S+ restarted 3 times while writing/m);
    assert.match(run.stderr, /^hint: Power the board/m);
    assert.equal(run.stderr.split("\n").filter((l) => l.startsWith("Recovered")).length, 2);
  } finally {
    await server.close();
  }
});

Deno.test("--retries and --reconnect-wait take numbers; anything else is a usage error (exit 2)", async () => {
  for (const bad of [["--retries", "x"], ["--retries", "1.5"], ["--reconnect-wait", "soon"]]) {
    const run = await runCli(["flash", ...bad, "--port", "sim://", "fw.bin"]);
    assert.equal(run.code, 2, `${bad.join(" ")}: ${run.stderr}`);
    assert.match(run.stderr, new RegExp(`^error: ${bad[0]} must be`, "m"));
  }
});
