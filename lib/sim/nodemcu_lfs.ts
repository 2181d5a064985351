/**
 * The Lua Flash Store of the simulated NodeMCU (`node.LFS`), per Lua version of the image
 * (nodemcu-firmware `app/lua/lflash.c`, `app/lua53/lnodemcu.c`, `app/modules/node.c`).
 *
 * The partition is the one the banner's `LFS:` line sizes (nodemcu_image.ts); the image lives in
 * the flash model there, so it survives restarts, resets and a backing flash file.
 *
 * **Lua 5.1.** `node.LFS.reload(name)` runs the firmware's first pass (lfs_image51.ts) and
 * returns its error string (`No LFS partition allocated`, `LFS image file not found`,
 * `checksum error on LFS image file`, ...). When the image is good the Lua chunk stops there
 * (the call never returns on the device), the firmware erases the sectors it needs and writes
 * the relocated image (flash time passes; a reset or power cut part-way leaves the partial
 * image, which the next boot refuses), prints `LFS region updated.  Restarting.` and spins until
 * the watchdog resets the chip (`rst cause:4`). Each boot prints `No LFS image loaded` for an
 * empty partition, the `Flash sig not correct: …` line for a refused one, nothing when the
 * image is in use. The image's functions reach the VM as one standard Lua 5.1 chunk
 * (lfs_proto51.ts, lfs_lua51_chunk.ts): its main function is luac.cross's lookup function
 * itself, so `node.LFS.get`, `list` (sorted) and `time` run the image's own code, as on the
 * device. That needs a Lua 5.1 VM in the sim; under a VM of another version the chunk does not
 * load, `list` and `time` answer from the image's index (its names and time) and `get` is nil.
 *
 * **Lua 5.3** (nodemcu_lfs53.ts): `reload` checks the file and the partition (both failures
 * are `No LFS partition allocated`), records the name and restarts (`rst cause:2`); the next
 * boot prints `Erasing LFS from flash addr 0x… to 0x…`, loads, and restarts Lua (no chip reset);
 * each boot with an image prints `LFS image loaded`, a corrupt one `LFS image corrupted.` and
 * is erased.
 *
 * **`require`.** The firmware's `require` does not look in LFS; the convention is an `_init`
 * module in the image that adds a `package.loaders` entry (`lua_examples/lfs/_init.lua`), run
 * from `init.lua`. The sim does the same: nothing extra, so `require` finds LFS modules exactly
 * when the image's `_init` has run in a VM that has `package`.
 *
 * @module
 */

import type { Device } from "./device.ts";
import {
  checkLfs51File,
  FLASH_MAPPED_BASE,
  inspectLfs51Flash,
  type Lfs51Payload,
  lfs51WritePlan,
  relocateLfs51,
} from "./lfs_image51.ts";
import {
  LUA51_FLOAT_FORMAT,
  lua51ChunkFormat,
  type Lua51Proto,
  writeLua51Chunk,
} from "./lfs_lua51_chunk.ts";
import { lfs51Index, readLfs51Protos } from "./lfs_proto51.ts";
import { Lfs53Store } from "./nodemcu_lfs53.ts";
import { bytesOf, type LuaValue, type LuaVm, textOf } from "./lua_vm.ts";
import type { NodemcuImage } from "./nodemcu_image.ts";
import type { SimFs } from "./sim_fs.ts";

/** What the LFS needs from the firmware. */
export interface LfsHost {
  /** The hardware. */
  device: Device;
  /** What the firmware knows about itself. */
  image: NodemcuImage;
  /** The mounted file system, if any. */
  fs(): SimFs | undefined;
  /** Prints console text (`\n` line ends). */
  print(text: string): void;
  /** Whether the chip has been reset since this boot started. */
  stopped(): boolean;
  /** Restarts the chip once the current Lua line has run (`system_restart`). */
  restart(): void;
}

/** Thrown through Lua when `reload` goes on to rewrite the flash (it never returns). */
const RELOADING = "LFS reload in progress";

/**
 * The LFS of one boot of the firmware.
 *
 * @example
 * ```ts
 * import { SimBoard } from "./board.ts";
 * import { buildNodemcuFirmware } from "../testing/nodemcu_firmware.ts";
 * import assert from "node:assert/strict";
 * const fw = buildNodemcuFirmware({ totalSize: 0x20000, banner: { version: "3.0.0.0", lfs: "0x10000 bytes total capacity" } });
 * const flashContents = new Uint8Array(1 << 20).fill(0xff);
 * flashContents.set(fw.combined);
 * const board = new SimBoard({ flashSize: "1MB", flashContents });
 * await board.idle();
 * assert.deepEqual(board.nodemcu?.image.lfs, { start: 0x20000, size: 0x10000 });
 * await board.close();
 * ```
 */
export class NodemcuLfs {
  readonly #h: LfsHost;
  readonly #store53: Lfs53Store | undefined;
  #pending51: Lfs51Payload | undefined;
  #main51: Lua51Proto | undefined;
  #index51: { modules: string[]; time: number | undefined } | undefined;

  /** @param host the firmware's side */
  constructor(host: LfsHost) {
    this.#h = host;
    if (host.image.luaVersion === "5.3") this.#store53 = new Lfs53Store(host);
  }

  /** The partition's mapped address. */
  get #mapped(): number {
    return FLASH_MAPPED_BASE + this.#h.image.lfs.start;
  }

  /**
   * What the firmware does with the LFS while Lua starts, before the banner: the boot check
   * (and on 5.3 a pending load). Resolves false when Lua does not come up.
   */
  async boot(): Promise<boolean> {
    if (this.#store53 !== undefined) return await this.#store53.boot();
    const { lfs } = this.#h.image;
    const numberType = lua51Numbers(this.#h.image.numberType);
    const read = (at: number, n: number) => this.#h.device.chip.romRead(lfs.start + at, n);
    const options = { partitionBytes: lfs.size, mappedBase: this.#mapped, numberType };
    const state = inspectLfs51Flash(read(0, 32), options);
    if (state.state !== "loaded") {
      if (state.message !== undefined) this.#h.print(state.message);
      return true;
    }
    try {
      this.#main51 = readLfs51Protos(read(0, state.flashSize), { base: this.#mapped, numberType });
      this.#index51 = lfs51Index(this.#main51);
    } catch {
      // a signed image whose structure does not parse: the device would crash on first use
      this.#main51 = undefined;
    }
    return true;
  }

  /** Whether a Lua call asked for a reload that now runs instead of the prompt. */
  get reloading(): boolean {
    return this.#pending51 !== undefined || (this.#store53?.reloading ?? false);
  }

  /**
   * Adds `node.LFS`, `node.flashreload`, `node.flashindex` and `node.info("lfs")` to a VM whose
   * `node` module is installed.
   *
   * @param vm the VM
   */
  install(vm: LuaVm): void {
    const chunk = this.#main51 && writeLua51Chunk(this.#main51, chunkFormat(vm));
    vm.setGlobal("__sim_lfs_chunk", () => (chunk === undefined ? undefined : textOf(chunk)));
    vm.setGlobal("__sim_lfs_reload", (name) => this.#reload(name));
    vm.setGlobal("__sim_lfs_config", () => ({ lua: "table", fields: this.#config() }));
    vm.setGlobal("__sim_lfs_query", (what, name) => this.#query(String(what), name));
    vm.runHost(INSTALL_LUA);
  }

  /** list/time/get answered from the image when the VM cannot run its lookup function. */
  #query(what: string, name: LuaValue): LuaValue {
    if (this.#store53 !== undefined) return this.#store53.query(what, name);
    const index = this.#index51;
    if (index === undefined) return undefined;
    if (what === "list") return { lua: "table", items: [...index.modules] };
    return what === "time" ? index.time : undefined;
  }

  #config(): Record<string, number> {
    const { lfs } = this.#h.image;
    if (lfs.size === 0) return { lfs_mapped: 0, lfs_base: 0, lfs_size: 0, lfs_used: 0 };
    const used = this.#store53?.used ?? this.#used51();
    return { lfs_mapped: this.#mapped, lfs_base: lfs.start, lfs_size: lfs.size, lfs_used: used };
  }

  #used51(): number {
    if (this.#main51 === undefined) return 0;
    const head = this.#h.device.chip.romRead(this.#h.image.lfs.start + 4, 4);
    return new DataView(head.buffer, head.byteOffset).getUint32(0, true);
  }

  #reload(name: unknown): string | undefined {
    if (this.#store53 !== undefined) return this.#store53.reload(name);
    const { lfs } = this.#h.image;
    const numberType = lua51Numbers(this.#h.image.numberType);
    const file = typeof name === "string" ? this.#h.fs()?.read(name) : undefined;
    const check = checkLfs51File(file, { partitionBytes: lfs.size, numberType });
    if (!check.ok) return check.message;
    this.#pending51 = check.payload;
    throw new Error(RELOADING);
  }

  /**
   * Runs the reload a Lua call started: on 5.1 the second pass, the message and the watchdog
   * reset; on 5.3 the software restart. The firmware does not come back from it.
   */
  async finishReload(): Promise<void> {
    if (this.#store53 !== undefined) return this.#store53.restartForReload();
    const payload = this.#pending51;
    this.#pending51 = undefined;
    if (payload === undefined) return;
    const d = this.#h.device;
    const base = this.#h.image.lfs.start;
    const plan = lfs51WritePlan(relocateLfs51(payload, this.#mapped));
    for (const sector of plan.sectors) {
      d.chip.romErase("sector", base + sector * 0x1000);
      await d.settle();
      if (this.#h.stopped()) return;
    }
    for (const write of plan.writes) {
      d.chip.romWrite(base + write.offset, write.data);
      await d.settle();
      if (this.#h.stopped()) return;
    }
    d.flashSettled();
    this.#h.print("LFS region updated.  Restarting.");
  }
}

/** The sizes of the VM's own chunks (the ESP8266's float build when it is not a 5.1 VM). */
function chunkFormat(vm: LuaVm) {
  const probe = vm.run("return string.dump(function() end)", "=(lfs)");
  try {
    if (probe.kind === "ok") return lua51ChunkFormat(bytesOf(probe.results[0] ?? ""));
  } catch {
    // another Lua version: the chunk will not load anyway
  }
  return LUA51_FLOAT_FORMAT;
}

/** The Lua side: `node.LFS` as node.c's table emulator, on the helpers set by `install`. */
const INSTALL_LUA = `
do
  local reload, config, query = __sim_lfs_reload, __sim_lfs_config, __sim_lfs_query
  local chunk = __sim_lfs_chunk()
  __sim_lfs_reload, __sim_lfs_config, __sim_lfs_chunk, __sim_lfs_query = nil, nil, nil, nil
  local index = chunk and (loadstring or load)(chunk, "=LFS") or nil
  local function get(name)
    if index then
      local f = index(name)
      if type(f) == "function" then return f end
      return nil
    end
    local f = query("get", name)
    return f
  end
  local function list()
    local l
    if index then
      local _, names = index()
      l = names
    else
      l = query("list")
    end
    if type(l) == "table" then table.sort(l) end
    return l
  end
  local function time()
    if index then return (index()) end
    local t = query("time")
    return t
  end
  local lfs = { list = list, get = get, reload = reload }
  setmetatable(lfs, { __index = function(_, key)
    local v
    if key == "config" then v = config()
    elseif key == "time" then v = time()
    else v = get(key) end
    return v
  end })
  node.LFS = lfs
  node.flashindex = get
  node.flashreload = function(name)
    print("Warning, deprecated API! node.flashreload. It will be removed soon. " ..
      "Use node.LFS interface instead. See documentation for details.")
    return (reload(name))
  end
  local info = node.info
  local unpack = table.unpack or unpack
  local function pack(...) return { n = select("#", ...), ... } end
  node.info = function(group, ...)
    local r
    if group == "lfs" then r = pack(config()) else r = pack(info(group, ...)) end
    return unpack(r, 1, r.n)
  end
end`;

/** A 5.1 build's numbers: integer, or float (5.1 has no separate double build). */
function lua51Numbers(type: "float" | "integer" | "double"): "float" | "integer" {
  return type === "integer" ? "integer" : "float";
}
