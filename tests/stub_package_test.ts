/**
 * A damaged npm cache: the pinned esptool-js package (where the flasher stub comes from) with its
 * esp8266.json changed. `nodeflash flash` then fails as a user error with a hint, not as a bug
 * with a stack. The cache is a copy: a DENO_DIR whose npm folder links every package of the real
 * one except esptool-js, which is copied and damaged.
 */

import assert from "node:assert/strict";
import { fileURLToPath } from "node:url";
import { buildNodemcuFirmware } from "../lib/testing/nodemcu_firmware.ts";
import { withTempDir } from "./support/run_cli.ts";

const ROOT = fileURLToPath(new URL("..", import.meta.url));

/** The DENO_DIR and the names of the npm packages the command line loads. */
async function cacheInfo(): Promise<{ denoDir: string; packages: string[] }> {
  const out = await new Deno.Command(Deno.execPath(), {
    args: ["info", "--json", "lib/cli/main.ts"],
    cwd: ROOT,
    env: { NO_COLOR: "1" },
  }).output();
  const info = JSON.parse(new TextDecoder().decode(out.stdout)) as {
    npmPackages: Record<string, { name: string }>;
  };
  const where = await new Deno.Command(Deno.execPath(), { args: ["info", "--json"] }).output();
  const { denoDir } = JSON.parse(new TextDecoder().decode(where.stdout)) as { denoDir: string };
  return { denoDir, packages: Object.values(info.npmPackages).map((p) => p.name) };
}

/** A DENO_DIR with copies of the CLI's npm packages, esptool-js's stub damaged. */
async function damagedCache(dir: string): Promise<string> {
  const { denoDir, packages } = await cacheInfo();
  const registry = `${denoDir}/npm/registry.npmjs.org`;
  const copy = `${dir}/deno/npm/registry.npmjs.org`;
  const names = new Set(packages);
  assert.ok(names.has("esptool-js"), `esptool-js is not among ${[...names]}`);
  for (const name of names) {
    await Deno.mkdir(`${copy}/${name}`, { recursive: true });
    const done = await new Deno.Command("cp", {
      args: ["-r", `${registry}/${name}/.`, `${copy}/${name}`],
    }).output();
    assert.equal(done.code, 0, `copying ${name}: ${new TextDecoder().decode(done.stderr)}`);
  }
  const json = `${copy}/esptool-js/0.7.0/lib/targets/stub_flasher/esp8266.json`;
  const stub = JSON.parse(await Deno.readTextFile(json)) as { text: string };
  stub.text = stub.text.replace(/^.{8}/, "AAAAAAAA"); // changed bytes in the stub's code
  await Deno.writeTextFile(json, JSON.stringify(stub));
  return `${dir}/deno`;
}

Deno.test("a damaged npm cache for the stub package is a user error with a hint", async () => {
  await withTempDir(async (dir) => {
    const fw = `${dir}/fw.bin`;
    await Deno.writeFile(fw, buildNodemcuFirmware({ totalSize: 0x20000 }).combined);
    const out = await new Deno.Command(Deno.execPath(), {
      args: ["run", "-A", "--cached-only", "mod.ts", "flash", "-p", "sim://", "--json", fw],
      cwd: ROOT,
      env: { DENO_DIR: await damagedCache(dir), NO_COLOR: "1" },
    }).output();
    const stderr = new TextDecoder().decode(out.stderr);
    assert.equal(out.code, 2, stderr);
    const lines = new TextDecoder().decode(out.stdout).trim().split("\n");
    const error = JSON.parse(lines.at(-1)!).error as Record<string, string>;
    assert.equal(error.code, "stub/package-unreadable");
    assert.match(error.message!, /not the pinned stub \(sha256 differs\)/);
    assert.match(error.hint!, /deno clean/);
    assert.doesNotMatch(stderr, /^\s+at /m, "no stack");
  });
});
