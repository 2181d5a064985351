/**
 * Enforces the dependency rule of the design (../shared/design.md, "Layers"): data flows one
 * way, each layer imports only layers below it, the simulator stays an independent check of the
 * protocol, and only a few files may touch FFI or exit the process.
 *
 * The rule is data: {@link RULES} maps each area to the areas it may import.
 */

import assert from "node:assert/strict";
import { dirname, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "..");

/** Where a file belongs, from its path relative to the repository root. */
function areaOf(path: string): string {
  if (path === "mod.ts" || /^lib\/[^/]+\/mod\.ts$/.test(path)) return "entry";
  // The `.` entry's port opener, which knows `sim://` (lazily).
  if (path === "lib/open_transport.ts") return "entry";
  if (path === "lib/errors.ts" || path === "lib/version.ts") return "root";
  if (path === "deno.json") return "config";
  if (path.startsWith("action/")) return "action";
  if (path.startsWith("tests/") || path.startsWith("examples/")) return "tests";
  const m = /^lib\/([^/]+)\//.exec(path);
  if (m) return m[1]!;
  return "other";
}

/**
 * Specific files another area may reach into although it may not import the whole area.
 * Keyed by importing area; values are path prefixes.
 */
const PARTIAL: Record<string, string[]> = {
  // protocol/ sees transports as types only (checked separately: `import type`).
  protocol: ["lib/transport/types.ts"],
  // The simulator shares only the SLIP codec and byte helpers, the opcode/status constants and
  // the pure format code; it decodes requests and builds replies with its own code.
  sim: [
    "lib/protocol/opcodes.ts",
    "lib/protocol/status.ts",
    "lib/chip/flash_size.ts",
    "lib/chip/jedec.ts",
    "lib/chip/esp8266.ts",
    "lib/transport/types.ts",
    "lib/transport/inbox.ts",
    "lib/transport/memory.ts",
    "lib/transport/wrap_transport.ts",
  ],
  image: ["lib/chip/flash_size.ts", "lib/chip/esp8266.ts"],
  flasher: ["lib/transport/types.ts"],
  // The smoke test reads banners with the image layer's banner parser and ROM boot lines with
  // the chip layer's (pure format code, one parser each).
  smoke: ["lib/transport/types.ts", "lib/image/nodemcu_banner.ts", "lib/chip/rom_boot.ts"],
  // The Lua side reaches the prompt through the smoke layer and sees transports as types only.
  lua: ["lib/transport/types.ts"],
  chip: ["lib/transport/types.ts"],
  release: [],
};

/** Areas each area may import in full. */
const RULES: Record<string, string[]> = {
  root: ["config"],
  bytes: ["root", "bytes"],
  transport: ["root", "bytes", "transport"],
  protocol: ["root", "bytes", "protocol"],
  chip: ["root", "bytes", "protocol", "chip"],
  image: ["root", "bytes", "image"],
  flasher: ["root", "bytes", "protocol", "chip", "image", "flasher"],
  smoke: ["root", "bytes", "protocol", "smoke"],
  lua: ["root", "bytes", "protocol", "smoke", "lua"],
  sim: ["root", "bytes", "image", "sim"],
  release: ["root", "bytes", "release"],
  // The error-code table (docs/errors.md is written from it).
  error_codes: ["root", "error_codes"],
  // Test firmware and memory links (the `./testing` entry): pure builders over the format code.
  testing: ["root", "bytes", "chip", "image", "transport", "testing"],
  // The CLI and the Action use the public API only: the package's entry points.
  cli: ["cli", "entry"],
  action: ["action", "entry"],
  // The entry points (mod.ts, lib/*/mod.ts) re-export the library's layers.
  entry: [
    "entry",
    "root",
    "bytes",
    "transport",
    "protocol",
    "chip",
    "image",
    "flasher",
    "smoke",
    "release",
    "testing",
    "lua",
    "sim", // lib/sim/mod.ts only, checked in violations()
  ],
};

/** Files that may call `Deno.dlopen`. */
const FFI_ALLOWED = [/^lib\/transport\/serial\//, /^lib\/sim\/pty/, /^tests\//, /_test\.ts$/];
/** Files that may end the process. */
const EXIT_ALLOWED = [/^lib\/cli\/main\.ts$/, /^action\/main\.ts$/, /^tests\//, /_test\.ts$/];

interface ImportSpec {
  specifier: string;
  typeOnly: boolean;
  dynamic: boolean;
}

/** Reads the import specifiers of a source text. */
export function importsOf(source: string): ImportSpec[] {
  const out: ImportSpec[] = [];
  const staticRe = /^\s*(import|export)\s+(type\s+)?[^;]*?\bfrom\s+["']([^"']+)["']/gms;
  for (const m of source.matchAll(staticRe)) {
    out.push({ specifier: m[3]!, typeOnly: m[2] !== undefined, dynamic: false });
  }
  const bareRe = /^\s*import\s+["']([^"']+)["']/gm;
  for (const m of source.matchAll(bareRe)) {
    out.push({ specifier: m[1]!, typeOnly: false, dynamic: false });
  }
  const dynRe = /\bimport\(\s*["']([^"']+)["']\s*\)/g;
  for (const m of source.matchAll(dynRe)) {
    out.push({ specifier: m[1]!, typeOnly: false, dynamic: true });
  }
  return out;
}

async function* sourceFiles(dir: string): AsyncGenerator<string> {
  for await (const entry of Deno.readDir(dir)) {
    const full = join(dir, entry.name);
    if (entry.isDirectory) {
      if (entry.name === "node_modules" || entry.name.startsWith(".")) continue;
      yield* sourceFiles(full);
    } else if (entry.name.endsWith(".ts")) {
      yield full;
    }
  }
}

async function allFiles(): Promise<string[]> {
  const files: string[] = ["mod.ts"];
  for (const dir of ["lib", "action"]) {
    try {
      for await (const f of sourceFiles(join(ROOT, dir))) files.push(relative(ROOT, f));
    } catch (e) {
      if (!(e instanceof Deno.errors.NotFound)) throw e;
    }
  }
  return files;
}

function violations(file: string, source: string): string[] {
  const area = areaOf(file);
  if (file.endsWith("_test.ts") || file.endsWith("_bench.ts") || area === "tests") return [];
  const problems: string[] = [];
  for (const imp of importsOf(source)) {
    const s = imp.specifier;
    if (s.startsWith("node:") || s.startsWith("npm:")) continue;
    if (!s.startsWith(".")) {
      // bare specifiers come from deno.json "imports" (npm packages)
      continue;
    }
    const target = relative(ROOT, resolve(ROOT, dirname(file), s));
    const targetArea = areaOf(target);
    if (targetArea === area) continue;
    if (file === "mod.ts" && targetArea === "cli" && imp.dynamic) continue;
    if (area === "entry" && targetArea === "sim" && file !== "lib/sim/mod.ts" && !imp.dynamic) {
      problems.push(`${file}: only ./sim loads the simulator (mod.ts imports it lazily)`);
      continue;
    }
    if (targetArea === "entry" && area !== "cli" && area !== "action" && area !== "entry") {
      problems.push(`${file}: only the CLI, the Action and tests import the entry points`);
      continue;
    }
    const partial = PARTIAL[area] ?? [];
    if (partial.some((p) => target === p || target.startsWith(p))) {
      if (area === "protocol" && target === "lib/transport/types.ts" && !imp.typeOnly) {
        problems.push(`${file}: protocol/ may import ${target} for types only`);
      }
      continue;
    }
    if ((RULES[area] ?? []).includes(targetArea)) continue;
    problems.push(`${file}: ${area}/ may not import ${target}`);
  }
  const uncommented = source.replace(/^\s*(\*|\/\/).*$/gm, "");
  if (/Deno\.dlopen\(/.test(uncommented) && !FFI_ALLOWED.some((r) => r.test(file))) {
    problems.push(
      `${file}: only lib/transport/serial/ and the sim's pty endpoint call Deno.dlopen`,
    );
  }
  if (/\bDeno\.exit\(/.test(uncommented) && !EXIT_ALLOWED.some((r) => r.test(file))) {
    problems.push(`${file}: only lib/cli/main.ts and action/main.ts end the process`);
  }
  if (
    area !== "cli" && area !== "tests" && area !== "action" && file !== "mod.ts" &&
    /\bconsole\.(log|error|warn|info|debug)\(/.test(uncommented)
  ) {
    problems.push(`${file}: the library never prints; report events instead`);
  }
  return problems;
}

Deno.test("every import follows the layer rule of the design", async () => {
  const problems: string[] = [];
  for (const file of await allFiles()) {
    const source = await Deno.readTextFile(join(ROOT, file));
    problems.push(...violations(file, source));
  }
  assert.deepEqual(problems, []);
});

Deno.test("the rule checker catches an upward import, FFI outside serial/, and printing", () => {
  assert.deepEqual(violations("lib/bytes/x.ts", 'import { a } from "../flasher/flash.ts";'), [
    "lib/bytes/x.ts: bytes/ may not import lib/flasher/flash.ts",
  ]);
  assert.equal(
    violations("lib/protocol/c.ts", 'import { Inbox } from "../transport/types.ts";').length,
    1,
  );
  assert.equal(
    violations("lib/protocol/c.ts", 'import type { Transport } from "../transport/types.ts";')
      .length,
    0,
  );
  assert.equal(
    violations("lib/sim/rom.ts", 'import { encodeRequest } from "../protocol/packet.ts";').length,
    1,
  );
  assert.equal(violations("lib/flasher/w.ts", 'const l = Deno.dlopen("libc.so.6", {});').length, 1);
  assert.equal(violations("lib/chip/d.ts", 'console.log("hi");').length, 1);
  assert.equal(violations("lib/cli/x.ts", 'import { x } from "../flasher/flash.ts";').length, 1);
});
