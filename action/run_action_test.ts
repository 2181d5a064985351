import assert from "node:assert/strict";
import { join } from "node:path";
import { buildNodemcuFirmware } from "../lib/testing/mod.ts";
import { type FlashSizeName, patchImageHeader } from "../lib/image/mod.ts";
import { openTransport, type Transport } from "../mod.ts";
import type { SimTransport } from "../lib/sim/mod.ts";
import { FakeGitHub } from "../tests/support/fake_github.ts";
import { parseInputs } from "./inputs.ts";
import { runAction } from "./run_action.ts";
import { runnerContext } from "./runner_context.ts";

const FIRMWARE = buildNodemcuFirmware({ totalSize: 0x14000, seed: 11 }).combined;

async function setUp() {
  const github = await FakeGitHub.start({
    releases: [{ tag: "v5", assets: [{ name: "nodemcu-v5-float.bin", bytes: FIRMWARE }] }],
  });
  const base = await Deno.makeTempDir();
  const runner = runnerContext(
    {
      GITHUB_API_URL: github.apiUrl,
      RUNNER_TEMP: join(base, "temp"),
      RUNNER_TOOL_CACHE: join(base, "cache"),
    },
    { cwd: base, tempDir: base },
  );
  const opened: SimTransport[] = [];
  const open = async (port: string): Promise<Transport> => {
    const t = await openTransport(port, { baudRate: 115200 }) as SimTransport;
    opened.push(t);
    return t;
  };
  return {
    github,
    runner,
    opened,
    open,
    async [Symbol.asyncDispose]() {
      await github.close();
      await Deno.remove(base, { recursive: true });
    },
  };
}

Deno.test("runAction: auto ports, one release download, every board flashed in parallel, logs written", async () => {
  await using t = await setUp();
  const lines: Array<[string, string | undefined]> = [];
  const config = parseInputs({
    repository: "nodemcu/nodemcu-firmware",
    release: "v5",
    firmware: "*-float.bin",
    smoke: "false",
  });
  const list = () =>
    Promise.resolve(["sim://?seed=1", "sim://?seed=2&flash-size=1MB", "/dev/ttyS0"].map((path) => ({
      path,
      name: path,
      byId: [],
      byPath: [],
      likelyEsp: path.startsWith("sim:"),
    })));
  const run = await runAction(config, t.runner, {
    open: t.open,
    findPorts: { list },
    onLine: (line, port) => lines.push([line, port]),
  });
  assert.deepEqual(run.results.map((r) => [r.port, r.ok]), [["sim://?seed=1", true], [
    "sim://?seed=2&flash-size=1MB",
    true,
  ]]);
  assert.equal(t.opened.length, 2);
  for (const port of t.opened) {
    // flash-size detect: the header gets the board's size, the rest is the release's asset
    const size = port.board.options.flashSizeName as FlashSizeName;
    const expected = patchImageHeader(FIRMWARE, { size }).bytes;
    assert.deepEqual(port.board.flash.read(0, FIRMWARE.length), expected);
  }
  assert.equal(new Set(run.results.map((r) => r.mac)).size, 2, "two different boards");
  assert.equal(run.prepared.release?.tag, "v5");
  const downloads = t.github.apiRequests.filter((r) => r.accept === "application/octet-stream");
  assert.equal(downloads.length, 1, "the firmware is downloaded once for all boards");
  assert.ok(
    lines.some(([l, p]) => p === undefined && l.startsWith("boards: sim://?seed=1, sim://?seed=2")),
  );
  assert.ok(lines.some(([l, p]) => p === "sim://?seed=1" && l.startsWith("verify")));
  assert.ok(run.logDir.startsWith(t.runner.workDir));
  assert.equal(run.logs.length, 2);
  assert.match(
    await Deno.readTextFile(run.logs[1]!.log),
    /^nodeflash: sim:\/\/\?seed=2&flash-size=1MB\n/,
  );
});

Deno.test("runAction: bad input about ports stops before anything is downloaded", async () => {
  await using t = await setUp();
  const config = parseInputs({
    release: "v5",
    repository: "nodemcu/nodemcu-firmware",
    firmware: "*-float.bin",
  });
  await assert.rejects(
    runAction(config, t.runner, { open: t.open, findPorts: { list: () => Promise.resolve([]) } }),
    /input 'ports'/,
  );
  assert.deepEqual(t.github.apiRequests, []);
  assert.equal(t.opened.length, 0);
});

Deno.test("runAction: a failed download touches no board and leaves no run directory", async () => {
  await using t = await setUp();
  const config = parseInputs({
    release: "v5",
    repository: "nodemcu/nodemcu-firmware",
    firmware: "*-integer.bin",
    ports: "sim://",
  });
  await assert.rejects(
    runAction(config, t.runner, { open: t.open }),
    (e: Error & { code: string }) => e.code === "release/no-matching-asset",
  );
  assert.equal(t.opened.length, 0);
  const left = [];
  for await (const e of Deno.readDir(t.runner.workDir)) left.push(e.name);
  assert.deepEqual(left, []);
});
