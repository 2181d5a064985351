/**
 * NodeMCU's `node` module (`app/modules/node.c`) as far as the simulated board has it:
 * `heap()` (plausible, varying), `chipid()` (the SDK's `system_get_chip_id`: from the eFuses,
 * i.e. the MAC), `flashid()`, `flashsize()`, `info()` (the deprecated 8 values) and, on 3.x,
 * `info("hw" | "sw_version" | "build_config")` tables (`build_config.modules` is the image's
 * module list, the one its banner prints), `restart()` (once the current task has run),
 * `bootreason()` (raw code = the ROM's rst cause; extended: 0 power-on, 1 watchdog, 4 software
 * restart, 6 external reset), `input(str)` (the interpreter's stdin), `task.post([prio,] fn)`,
 * `egc.setmode()` / `egc.meminfo()` (accepted; not on Lua 5.3 builds), `setonerror([fn])` (builds from June 2020), `compile(name)`
 * (`name.lua` → `name.lc`). `node.LFS` is installed by the LFS model, not here.
 *
 * @module
 */

import { bytesOf, type LuaFunction, type LuaValue } from "./lua_vm.ts";
import { seededRandom } from "./faults.ts";
import {
  argError,
  checkInteger,
  isFunction,
  moduleList,
  type NodemcuHost,
  runPrelude,
  table,
  typeName,
} from "./nodemcu_host.ts";

/** What `node.info` reports, from the chip, the image header and the banner. */
function nodeFacts(host: NodemcuHost) {
  const d = host.device;
  // The SDK's system_get_chip_id(): the NIC part of the MAC from eFuse words 0 and 1.
  const chipId = ((d.efuses[0] >>> 24) | ((d.efuses[1] & 0xffffff) << 8)) >>> 0;
  const header = d.chip.romRead(0, 4);
  const speeds: Record<number, number> = { 0: 40e6, 1: 26e6, 2: 20e6, 15: 80e6 };
  const [major = 3, minor = 0, revision = 0] = (host.image.version ?? "3.0.0.0").split(".")
    .map(Number);
  return {
    chipId,
    flashMode: [0, 1, 2, 15][header[2]! & 3]!,
    speed: speeds[header[3]! & 0xf] ?? 40e6,
    version: [major, minor, revision] as const,
  };
}

function infoGroups(host: NodemcuHost, f: ReturnType<typeof nodeFacts>) {
  const chip = host.device.chip;
  const banner = host.image.banner;
  const groups: Record<string, () => LuaValue> = {
    hw: () =>
      table({
        chip_id: f.chipId,
        flash_id: chip.jedecId,
        flash_size: chip.size / 1024,
        flash_mode: f.flashMode,
        flash_speed: f.speed,
      }),
    sw_version: () =>
      table({
        git_branch: banner?.branch ?? "release",
        git_commit_id: banner?.commit ?? "",
        git_release: banner?.release ?? "",
        git_commit_dts: banner?.releaseDts ?? "",
        node_version_major: f.version[0],
        node_version_minor: f.version[1],
        node_version_revision: f.version[2],
      }),
    build_config: () =>
      table({
        ssl: banner?.ssl ?? false,
        lfs_size: banner?.lfsBytes ?? 0,
        modules: moduleList(host.image).join(","),
        number_type: banner?.buildType ?? "float",
      }),
  };
  return groups;
}

/**
 * Installs `node`.
 *
 * @param host the firmware's side
 * @param openFiles how many files are open (the heap shrinks with each)
 *
 * @example
 * ```ts
 * import { SimBoard } from "./board.ts";
 * import { buildNodemcuFirmware } from "../testing/nodemcu_firmware.ts";
 * import { ConsoleTap, flashImage } from "./console_tap.ts";
 * import assert from "node:assert/strict";
 * const flashContents = flashImage(1 << 20, buildNodemcuFirmware({ totalSize: 0x20000, flashSize: "1MB" }).combined);
 * const board = new SimBoard({ flashSize: "1MB", flashContents, mac: "5c:cf:7f:12:34:56" });
 * const tap = new ConsoleTap(board);
 * await tap.until("\r\n> ");
 * tap.clear();
 * tap.type("=node.chipid()\r\n");
 * assert.equal(await tap.until("\r\n> "), `=node.chipid()\r\n${0x123456}\r\n> `);
 * await board.close();
 * ```
 */
export function installNode(host: NodemcuHost, openFiles: () => number): void {
  const d = host.device;
  const f = nodeFacts(host);
  const groups = infoGroups(host, f);
  const random = seededRandom(d.options.seed ^ 0x4ea9);
  const extended = { "power-on": 0, watchdog: 1, software: 4, external: 6 } as const;
  const era3 = host.image.era === "3.x";
  const runtime = host.runtime;
  const functions: Record<string, LuaValue> = {
    heap: () => Math.round(44_000 - 700 * openFiles() - random() * 900),
    chipid: () => f.chipId,
    flashid: () => d.chip.jedecId,
    flashsize: () => d.chip.size,
    info: (group) => {
      if (group === undefined || !era3) {
        return [...f.version, f.chipId, d.chip.jedecId, d.chip.size / 1024, f.flashMode, f.speed];
      }
      const make = typeof group === "string" ? groups[group] : undefined;
      if (make === undefined) throw argError(1, "invalid group");
      return make();
    },
    restart: () => (runtime.requestRestart(), []),
    bootreason: () => [d.lastReset.cause, extended[d.lastReset.kind]],
    input: (text) => {
      if (typeof text !== "string") throw argError(1, "string expected");
      runtime.input(text);
      return [];
    },
    task: table({
      post: taskPost(host),
      LOW_PRIORITY: 0,
      MEDIUM_PRIORITY: 1,
      HIGH_PRIORITY: 2,
    }),
    __compiled: (name, code) => {
      const fs = host.fs();
      const out = String(name).replace(/\.lua$/, ".lc");
      if (fs === undefined || typeof code !== "string" || !fs.write(out, bytesOf(code))) {
        throw new Error(`cannot write ${out}`);
      }
      return [];
    },
  };
  // Lua 5.3 builds dropped node.egc (nodemcu#3279).
  if (!(host.image.banner?.lua ?? "5.1").startsWith("5.3")) {
    functions.egc = table({
      setmode: () => [],
      meminfo: () => [30_000, 20_000],
      NOT_ACTIVE: 0,
      ON_ALLOC_FAILURE: 1,
      ON_MEM_LIMIT: 2,
      ALWAYS: 3,
    });
  }
  // node.setonerror came with luaL_pcallx (nodemcu_front_end.ts)
  if (host.image.frontEnd.callbackErrors === "onerror") {
    functions.setonerror = (fn) => (runtime.setOnError(isFunction(fn) ? fn : undefined), []);
  }
  host.vm.setGlobal("node", table(functions));
  runPrelude(host.vm, COMPILE_PRELUDE);
}

/** `node.task.post([priority,] fn)`: the callback gets the priority. */
function taskPost(host: NodemcuHost): LuaFunction {
  return (...args) => {
    let priority = 1;
    let at = 0;
    if (typeof args[0] === "number") {
      priority = checkInteger(args[0], 1, { lua: host.vm.version });
      if (!(priority >= 0 && priority <= 2)) throw argError(1, "invalid  priority");
      at = 1;
    }
    const fn = args[at];
    if (!isFunction(fn)) {
      throw argError(at + 1, `function expected, got ${typeName(fn)}`);
    }
    host.runtime.post(priority as 0 | 1 | 2, fn, priority);
    return [];
  };
}

/** `node.compile` in Lua: compile with the VM, write the dump through `__compiled`. */
const COMPILE_PRELUDE = `local B = ...
    local read, compiled, loadstring, dump = __sim_read, node.__compiled, loadstring or load, string.dump
    node.__compiled = nil
    function node.compile(name)
      if type(name) ~= "string" or not name:match("%.lua$") then B.cerror("not a .lua file") end
      local src = read(name)
      if src == nil then B.cerror("cannot open " .. name) end
      local f, err = loadstring(src, "@" .. name)
      if not f then B.cerror(err) end
      compiled(name, dump(f))
    end`;
