/**
 * `nodeflash flash` on several boards at once (`--port` more than once), each a simulated board
 * served over RFC 2217: every board gets its own job, lines and result; a board that cannot be
 * reached fails alone while the others are flashed; the exit code says something failed. Other
 * commands refuse several ports.
 */

import assert from "node:assert/strict";
import { buildNodemcuFirmware } from "../lib/testing/nodemcu_firmware.ts";
import { type SimServer, startSimServer } from "../lib/sim/mod.ts";
import { fakeMachine } from "./support/fake_sysfs.ts";
import { runCli, withTempDir } from "./support/run_cli.ts";

const firmware = buildNodemcuFirmware({ seed: 21, totalSize: 128 * 1024 }).combined;

async function withServers(
  faults: Array<string | undefined>,
  fn: (servers: SimServer[]) => Promise<void>,
): Promise<void> {
  const servers = await Promise.all(
    faults.map((f) =>
      startSimServer({ kind: "rfc2217", boardOptions: f === undefined ? {} : { faults: f } })
    ),
  );
  try {
    await fn(servers);
  } finally {
    await Promise.all(servers.map((s) => s.close()));
  }
}

Deno.test("flash on three boards at once: two flashed, the one that never enters its loader fails alone", async () => {
  await withTempDir(async (dir) => {
    const image = `${dir}/fw.bin`;
    await Deno.writeFile(image, firmware);
    await withServers([undefined, "stuck-gpio0", undefined], async (servers) => {
      const ports = servers.flatMap((s) => ["--port", s.url]);
      const run = await runCli([
        "flash",
        ...ports,
        "--connect-attempts",
        "1",
        "-fs",
        "keep",
        "--json",
        image,
      ]);
      assert.equal(run.code, 1, run.stderr);
      const lines = run.json();
      const [good1, bad, good2] = servers;
      // every event names its board
      assert.ok(lines.slice(0, -1).every((l) => servers.some((s) => s.url === l.port)));
      const boardResults = lines.filter((l) => l.type === "board-result");
      assert.equal(boardResults.length, 3);
      const result = lines.at(-1)!;
      assert.equal(result.type, "result");
      assert.equal(result.ok, false);
      const boards = result.boards as Array<Record<string, unknown>>;
      assert.deepEqual(boards.map((b) => [b.port, b.ok]), [
        [good1!.url, true],
        [bad!.url, false],
        [good2!.url, true],
      ]);
      assert.match((boards[1]!.error as { code: string }).code, /^connect\//);
      for (const s of [good1!, good2!]) {
        assert.deepEqual(s.board.flash.read(0, firmware.length), firmware);
      }
      assert.ok(bad!.board.flash.read(0, 16).every((b) => b === 0xff), "nothing written there");
    });
  });
});

Deno.test("flash on two boards, human output: each line carries its board's port", async () => {
  await withTempDir(async (dir) => {
    const image = `${dir}/fw.bin`;
    await Deno.writeFile(image, firmware);
    await withServers([undefined, undefined], async (servers) => {
      const run = await runCli(["flash", "-p", servers[0]!.url, "-p", servers[1]!.url, image]);
      assert.equal(run.code, 0, run.stderr);
      const lines = run.stderr.trim().split("\n");
      const tagged = (s: SimServer) => lines.filter((l) => l.startsWith(`[${s.url}] `));
      for (const s of servers) {
        assert.ok(tagged(s).some((l) => /Wrote \d+ bytes .* verified/.test(l)), run.stderr);
      }
      assert.match(lines.at(-1)!, /All 2 boards done/);
    });
  });
});

Deno.test("a command that works on one board refuses several ports", async () => {
  const run = await runCli(["info", "-p", "sim://", "-p", "sim://?seed=2"]);
  assert.equal(run.code, 2);
  assert.match(run.stderr, /'info' works on one board, but --port was given 2 times/);
});

Deno.test({
  name: "flash --port auto: every ESP-like port found, here two leading to simulated boards",
  ignore: Deno.build.os !== "linux",
  async fn() {
    const servers = await Promise.all([0, 1].map(() => startSimServer({ kind: "pty" })));
    try {
      await withTempDir(async (dir) => {
        const { sys, dev } = await fakeMachine(await Deno.realPath(dir));
        await Deno.remove(`${dev}/ttyUSB0`);
        await Deno.remove(`${dev}/ttyACM0`);
        await Deno.symlink(servers[0]!.url, `${dev}/ttyUSB0`);
        await Deno.symlink(servers[1]!.url, `${dev}/ttyACM0`);
        const image = `${dir}/fw.bin`;
        await Deno.writeFile(image, firmware);
        const env = { NODEFLASH_SYSFS_ROOT: sys, NODEFLASH_DEV_ROOT: dev };
        const run = await runCli(["flash", "--port", "auto", "-fs", "keep", "--json", image], env);
        assert.equal(run.code, 0, run.stderr);
        const result = run.json().at(-1)!;
        const boards = result.boards as Array<Record<string, unknown>>;
        assert.deepEqual(boards.map((b) => [b.port, b.ok]).sort(), [
          [`${dev}/ttyACM0`, true],
          [`${dev}/ttyUSB0`, true],
        ]);
        for (const s of servers) {
          assert.deepEqual(s.board.flash.read(0, 64), firmware.subarray(0, 64));
        }
      });
    } finally {
      await Promise.all(servers.map((s) => s.close()));
    }
  },
});
