import assert from "node:assert/strict";
import { join } from "node:path";
import { buildNodemcuFirmware } from "../lib/testing/mod.ts";
import { FakeGitHub } from "../tests/support/fake_github.ts";
import { type ActionConfig, parseInputs } from "./inputs.ts";
import { prepareFirmware } from "./prepare_firmware.ts";
import { runnerContext } from "./runner_context.ts";

const FIRMWARE = buildNodemcuFirmware({ totalSize: 0x14000, seed: 5 }).combined;
const INIT = new Uint8Array(128).fill(7);

async function files(dir: string): Promise<string[]> {
  const out: string[] = [];
  try {
    for await (const e of Deno.readDir(dir)) {
      if (e.isDirectory) out.push(...(await files(join(dir, e.name))).map((f) => `${e.name}/${f}`));
      else out.push(e.name);
    }
  } catch (e) {
    if (!(e instanceof Deno.errors.NotFound)) throw e;
  }
  return out.sort();
}

async function setUp(raw: Record<string, string>) {
  const github = await FakeGitHub.start({
    releases: [
      {
        tag: "v1",
        createdAt: "2024-01-01T00:00:00Z",
        assets: [{ name: "nodemcu-v1-float.bin", bytes: FIRMWARE }, {
          name: "init-v1.bin",
          bytes: INIT,
        }],
      },
      {
        tag: "v2",
        createdAt: "2024-02-01T00:00:00Z",
        assets: [
          { name: "nodemcu-v2-float.bin", bytes: FIRMWARE },
          { name: "notes.txt", bytes: new TextEncoder().encode("not firmware") },
          { name: "init-v2.bin", bytes: INIT },
          { name: "big-init.bin", bytes: new Uint8Array(0x2000) },
        ],
      },
    ],
  });
  const base = await Deno.makeTempDir();
  const runner = runnerContext(
    {
      GITHUB_API_URL: github.apiUrl,
      RUNNER_TOOL_CACHE: join(base, "cache"),
      GITHUB_WORKSPACE: join(base, "ws"),
    },
    { cwd: "/", tempDir: base },
  );
  const config: ActionConfig = parseInputs({ repository: "nodemcu/nodemcu-firmware", ...raw });
  return {
    github,
    base,
    runner,
    config,
    destDir: join(base, "dest"),
    async [Symbol.asyncDispose]() {
      await github.close();
      await Deno.remove(base, { recursive: true });
    },
  };
}

Deno.test("prepare: firmware and init data come from one release, verified", async () => {
  await using t = await setUp({
    release: "latest",
    firmware: "*-float.bin",
    "init-data": "init-*.bin",
  });
  const prepared = await prepareFirmware(t.config, t.runner, { destDir: t.destDir });
  assert.deepEqual(prepared.release, {
    repository: "nodemcu/nodemcu-firmware",
    tag: "v2",
    id: t.github.release("v2").id,
  });
  assert.deepEqual(prepared.files, [{ address: 0, name: "nodemcu-v2-float.bin", data: FIRMWARE }]);
  assert.deepEqual(prepared.initData, { kind: "file", name: "init-v2.bin", data: INIT });
  assert.equal(prepared.firmware.sha256, t.github.asset("nodemcu-v2-float.bin").sha256);
  assert.equal(prepared.initDataFile?.source, "release");
  assert.deepEqual(await files(t.destDir), ["init-v2.bin", "nodemcu-v2-float.bin"]);
  // the second asset was fetched by the first one's release id, not by 'latest' again
  const paths = t.github.apiRequests.map((r) => r.path.replace(/\?.*$/, ""));
  assert.equal(paths.filter((p) => p.endsWith("/releases/latest")).length, 1);
  assert.ok(paths.some((p) => p.endsWith(`/releases/${t.github.release("v2").id}`)));
});

Deno.test("prepare: workspace files need no GitHub at all", async () => {
  await using t = await setUp({ firmware: "./bin/nodemcu.bin", "init-data": "default" });
  await Deno.mkdir(join(t.runner.workspace, "bin"), { recursive: true });
  await Deno.writeFile(join(t.runner.workspace, "bin/nodemcu.bin"), FIRMWARE);
  const prepared = await prepareFirmware(t.config, t.runner, { destDir: t.destDir });
  assert.equal(prepared.release, undefined);
  assert.deepEqual(prepared.initData, { kind: "builtin", which: "default" });
  assert.equal(prepared.firmware.source, "workspace");
  assert.equal(prepared.firmware.size, FIRMWARE.length);
  assert.match(prepared.firmware.sha256, /^[0-9a-f]{64}$/);
  assert.deepEqual(t.github.apiRequests, []);
});

Deno.test("prepare: a missing workspace file names the input", async () => {
  await using t = await setUp({ firmware: "./bin/missing.bin" });
  await assert.rejects(
    prepareFirmware(t.config, t.runner, { destDir: t.destDir }),
    /input 'firmware': cannot read \.\/bin\/missing\.bin/,
  );
});

Deno.test("prepare: what is not an ESP8266 image never reaches a board, and leaves no file", async () => {
  await using t = await setUp({ release: "v2", firmware: "notes.txt" });
  await assert.rejects(
    prepareFirmware(t.config, t.runner, { destDir: t.destDir }),
    (e: Error & { code: string }) => e.code === "input/firmware" && /notes\.txt/.test(e.message),
  );
  assert.deepEqual(await files(t.destDir), []);
});

Deno.test("prepare: init data bigger than a sector is refused", async () => {
  await using t = await setUp({
    release: "v2",
    firmware: "*-float.bin",
    "init-data": "big-init.bin",
  });
  await assert.rejects(
    prepareFirmware(t.config, t.runner, { destDir: t.destDir }),
    /input 'init-data': big-init\.bin is 8192 bytes/,
  );
  assert.deepEqual(await files(t.destDir), []);
});

Deno.test("prepare: a bad digest fails with the release layer's error and no file", async () => {
  await using t = await setUp({ release: "v1", firmware: "*-float.bin" });
  t.github.asset("nodemcu-v1-float.bin").digestField = `sha256:${"e".repeat(64)}`;
  await assert.rejects(
    prepareFirmware(t.config, t.runner, { destDir: t.destDir }),
    (e: Error & { code: string }) => e.code === "release/digest-mismatch",
  );
  assert.deepEqual(await files(t.destDir), []);
  assert.deepEqual(await files(join(t.base, "cache")), []);
});

Deno.test("prepare: the triggering release comes from the event payload", async () => {
  await using t = await setUp({ repository: "", firmware: "*-float.bin" });
  const eventPath = join(t.base, "event.json");
  await Deno.writeTextFile(eventPath, JSON.stringify(t.github.releaseEvent("v1")));
  const prepared = await prepareFirmware(
    t.config,
    { ...t.runner, eventName: "release", eventPath },
    {
      destDir: t.destDir,
    },
  );
  assert.equal(prepared.release?.tag, "v1");
  assert.equal(prepared.firmware.name, "nodemcu-v1-float.bin");
});
