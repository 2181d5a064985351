/**
 * The NodeMCU modules the simulated firmware offers its Lua VM, minimal but answering as the
 * device does (NodeMCU docs `node.md`, `file.md`, `tmr.md`):
 *
 * - `node`: `heap()` (plausible, varying), `chipid()` (the SDK's `system_get_chip_id`: from the
 *   eFuses, i.e. the MAC), `flashid()`, `flashsize()`, `info()` (the deprecated 8 values) and
 *   `info("hw" | "sw_version" | "build_config")` tables, `restart()` (after the current line),
 *   `bootreason()` (raw code = the ROM's rst cause; extended: 0 power-on, 1 watchdog,
 *   4 software restart, 6 external reset);
 * - `file`: `list`, `open` (returns a file object and makes it the current file for the old
 *   `file.read`/`file.write` calls), `read`, `readline`, `write`, `writeline`, `flush`, `close`,
 *   `remove`, `exists`, `rename`, `format`, `fsinfo`; writes reach the file system on `flush`
 *   and `close`;
 * - `tmr`: `now()` (µs since boot), `time()` (s), `delay(us)` (busy), `wdclr()`;
 * - `dofile(name)` for files in the file system.
 *
 * @module
 */

import type { Device } from "./device.ts";
import { seededRandom } from "./faults.ts";
import type { LuaFunction, LuaTable, LuaValue, LuaVm } from "./lua_vm.ts";
import { bytesOf, textOf } from "./lua_vm.ts";
import type { NodemcuImage } from "./nodemcu_image.ts";
import type { SimFs } from "./sim_fs.ts";

/** What the modules need from the firmware. */
export interface NodemcuHost {
  /** The hardware. */
  device: Device;
  /** What the firmware knows about itself. */
  image: NodemcuImage;
  /** The mounted file system, if any. */
  fs(): SimFs | undefined;
  /** Formats the file system again (`file.format()`); returns whether it worked. */
  format(): boolean;
  /** Restarts the chip once the current line has run. */
  restart(): void;
  /** Board time (µs) when the firmware started. */
  bootedAtUs: number;
}

interface OpenFile {
  name: string;
  data: string;
  pos: number;
  write: boolean;
  dirty: boolean;
  open: boolean;
}

const table = (fields: Record<string, LuaValue>): LuaTable => ({ lua: "table", fields });
/** Drops a leading `self` (method calls `fd:write(x)` pass the object first). */
const method = (fn: (...args: LuaValue[]) => LuaValue | LuaValue[]): LuaFunction => (...args) =>
  fn(...(typeof args[0] === "object" ? args.slice(1) : args));

/**
 * Installs `node`, `file`, `tmr` and `dofile` into a VM.
 *
 * @param vm the VM
 * @param host the firmware's side
 * @returns a function that closes every open file (at a restart), flushing nothing
 *
 * @example
 * ```ts
 * import { SimBoard } from "./board.ts";
 * import { LuaVm } from "./lua_vm.ts";
 * import { installNodemcuModules } from "./nodemcu_modules.ts";
 * import { inspectNodemcuImage } from "./nodemcu_image.ts";
 * import assert from "node:assert/strict";
 * const board = new SimBoard({ bootMode: "download", mac: "5c:cf:7f:12:34:56" });
 * const image = inspectNodemcuImage((a, n) => board.flash.read(a, n), { flashBytes: board.flash.size });
 * const vm = new LuaVm({ print() {} });
 * installNodemcuModules(vm, { device: board.device, image, fs: () => undefined, format: () => false, restart() {}, bootedAtUs: 0 });
 * assert.deepEqual(vm.run("return node.chipid()", "=stdin"), { kind: "ok", results: [String(0x123456)] });
 * await board.close();
 * ```
 */
export function installNodemcuModules(vm: LuaVm, host: NodemcuHost): () => void {
  const files = new Set<OpenFile>();
  const random = seededRandom(host.device.options.seed ^ 0x4ea9);
  vm.defineModule("node", nodeModule(host, () => files.size, random));
  vm.defineModule("file", fileModule(host, files));
  vm.defineModule("tmr", {
    now: () => Math.floor(host.device.clock.now() - host.bootedAtUs) % 2 ** 31,
    time: () => Math.floor((host.device.clock.now() - host.bootedAtUs) / 1e6),
    delay: (us) => (host.device.work(Math.max(0, Number(us) || 0)), undefined),
    wdclr: () => undefined,
  });
  vm.setGlobal("__sim_read", (name) => {
    const data = typeof name === "string" ? host.fs()?.read(name) : undefined;
    return data === undefined ? undefined : textOf(data);
  });
  vm.run(
    `function dofile(name)
      local src = __sim_read(name)
      if src == nil then error("cannot open " .. tostring(name), 2) end
      return assert((loadstring or load)(src, "@" .. name))()
    end`,
    "=init",
  );
  return () => {
    for (const f of files) f.open = false;
    files.clear();
  };
}

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
  const groups: Record<string, () => LuaTable> = {
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
        lfs_size: Number(/0x[0-9a-f]+/i.exec(banner?.lfs ?? "")?.[0] ?? 0),
        modules: (banner?.modules ?? ["file", "node", "tmr", "uart"]).join(","),
        number_type: banner?.buildType ?? "float",
      }),
  };
  return groups;
}

function nodeModule(
  host: NodemcuHost,
  openFiles: () => number,
  random: () => number,
): Record<string, LuaFunction> {
  const d = host.device;
  const f = nodeFacts(host);
  const groups = infoGroups(host, f);
  const extended = { "power-on": 0, watchdog: 1, software: 4, external: 6 } as const;
  return {
    heap: () => Math.round(44_000 - 700 * openFiles() - random() * 900),
    chipid: () => f.chipId,
    flashid: () => d.chip.jedecId,
    flashsize: () => d.chip.size,
    info: (group) => {
      if (group === undefined) {
        return [...f.version, f.chipId, d.chip.jedecId, d.chip.size / 1024, f.flashMode, f.speed];
      }
      const make = typeof group === "string" ? groups[group] : undefined;
      if (make === undefined) throw new Error("bad argument #1 to 'info' (invalid group)");
      return make();
    },
    restart: () => (host.restart(), undefined),
    bootreason: () => [d.lastReset.cause, extended[d.lastReset.kind]],
  };
}

function fileModule(host: NodemcuHost, files: Set<OpenFile>): Record<string, LuaFunction> {
  let current: OpenFile | undefined;
  const need = (f: OpenFile | undefined) => {
    if (f === undefined || !f.open) throw new Error("open a file first");
    return f;
  };
  const flush = (f: OpenFile) => {
    if (!f.dirty) return true;
    f.dirty = false;
    return host.fs()?.write(f.name, bytesOf(f.data)) ?? false;
  };
  const ops = (get: () => OpenFile | undefined): Record<string, LuaFunction> => ({
    read: method((n) => readFrom(need(get()), n)),
    readline: method(() => readFrom(need(get()), "\n")),
    write: method((s) => writeTo(need(get()), String(s ?? ""))),
    writeline: method((s) => writeTo(need(get()), `${String(s ?? "")}\n`)),
    flush: method(() => flush(need(get())) ? true : undefined),
    close: method(() => {
      const f = get();
      if (f === undefined || !f.open) return undefined;
      flush(f);
      f.open = false;
      files.delete(f);
      if (current === f) current = undefined;
      return undefined;
    }),
  });
  return {
    ...ops(() => current),
    list: () => table(Object.fromEntries(host.fs()?.list() ?? [])),
    open: (name, mode = "r") => {
      const fs = host.fs();
      if (fs === undefined || typeof name !== "string" || typeof mode !== "string") {
        return undefined;
      }
      const f = openFile(fs, name, mode.replace("b", ""));
      if (f === undefined) return undefined;
      files.add(f);
      current = f;
      return table(ops(() => f));
    },
    remove: (name) => (typeof name === "string" && host.fs()?.remove(name), undefined),
    exists: (name) => typeof name === "string" && (host.fs()?.exists(name) ?? false),
    rename: (from, to) => {
      const fs = host.fs();
      const data = typeof from === "string" ? fs?.read(from) : undefined;
      if (fs === undefined || data === undefined || typeof to !== "string" || fs.exists(to)) {
        return false;
      }
      return fs.write(to, data) && fs.remove(from as string);
    },
    format: () => (host.format(), undefined),
    fsinfo: () => {
      const usage = host.fs()?.usage() ?? { used: 0, total: 0 };
      return [usage.total - usage.used, usage.used, usage.total];
    },
  };
}

/** Opens a file as NodeMCU does: `r` needs it, `w` truncates, `a` appends, `+` adds the other way. */
function openFile(fs: SimFs, name: string, mode: string): OpenFile | undefined {
  const existing = fs.read(name);
  if (mode.startsWith("r") && existing === undefined) return undefined;
  const data = mode.startsWith("w") || existing === undefined ? "" : textOf(existing);
  if (mode.startsWith("w") || existing === undefined) {
    if (!fs.write(name, new Uint8Array(0))) return undefined;
  }
  return {
    name,
    data,
    pos: mode.startsWith("a") ? data.length : 0,
    write: mode !== "r",
    dirty: false,
    open: true,
  };
}

/** Reads `n` bytes (1024 by default) or up to and including a one-character terminator. */
function readFrom(f: OpenFile, n: LuaValue): string | undefined {
  if (f.pos >= f.data.length) return undefined;
  let end: number;
  if (typeof n === "string" && n.length > 0) {
    const at = f.data.indexOf(n[0]!, f.pos);
    end = at < 0 ? Math.min(f.data.length, f.pos + 1024) : Math.min(at + 1, f.pos + 1024);
  } else {
    end = Math.min(f.data.length, f.pos + (typeof n === "number" && n > 0 ? n : 1024));
  }
  const out = f.data.slice(f.pos, end);
  f.pos = end;
  return out;
}

function writeTo(f: OpenFile, s: string): true | undefined {
  if (!f.write) return undefined;
  f.data = f.data.slice(0, f.pos) + s + f.data.slice(f.pos + s.length);
  f.pos += s.length;
  f.dirty = true;
  return true;
}
