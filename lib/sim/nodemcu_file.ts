/**
 * NodeMCU's `file` module over the simulated file system (`app/modules/file.c`, the SPIFFS
 * glue in `app/spiffs/spiffs.c`), as each firmware version has it:
 *
 * - `open(name[, mode])` with SPIFFS's mode table (`r`, `w`, `a`, `r+`, `w+`, `a+`; anything
 *   else opens read-only, so `"wb"` cannot create a file), at most 4 open files
 *   (`SPIFFS_MAX_OPEN_FILES`; a fifth open returns nil), `nil` for a missing file or a name
 *   SPIFFS refuses; a name whose last part (after `/`) is over 31 characters raises
 *   `bad argument #1 to 'open' (filename invalid)`. `/FLASH/` before a name is the same file.
 * - the file object (`fd:read`, `fd:write`…) and the old calls on the last opened file
 *   (`file.read()`…), which also take a file object first: `read([n | char])` (1024 bytes by
 *   default, `FILE_READ_CHUNK`; nil at the end), `readline`, `write`, `writeline`, `seek([whence
 *   [, offset]])`, `flush`, `close`; writes reach the flash page by page, the last partial page
 *   on `flush` or `close` (SPIFFS's write cache);
 * - `list([pattern])`, `remove`, `rename` (false when the target exists), `exists`, `stat`,
 *   `fsinfo`, `fscfg`, `format` (`format done.`), `on`; `getcontents` and `putcontents` on 3.x.
 *
 * @module
 */

import { bytesOf, type LuaFunction, type LuaValue, textOf } from "./lua_vm.ts";
import {
  argError,
  checkInteger,
  checkString,
  type NodemcuHost,
  runPrelude,
  table,
} from "./nodemcu_host.ts";

/** `SPIFFS_MAX_OPEN_FILES`. */
export const MAX_OPEN_FILES = 4;
/** `FILE_READ_CHUNK`. */
const READ_CHUNK = 1024;
/** `FS_OBJ_NAME_LEN`. */
const NAME_LEN = 31;

interface OpenFile {
  name: string;
  pos: number;
  readable: boolean;
  writable: boolean;
  append: boolean;
}

/** The checks `file.c` makes on a name (the part after the last `/` or `:`). */
function checkName(value: LuaValue, n: number, options: { whole?: boolean } = {}): string {
  const whole = options.whole ?? false;
  const name = checkString(value, n);
  const base = whole
    ? name
    : name.slice(Math.max(name.lastIndexOf("/"), name.lastIndexOf(":")) + 1);
  if (base.length > NAME_LEN || name.includes("\0")) throw argError(n, "filename invalid");
  return name;
}

/** The SPIFFS object name for a path: `/FLASH/x` is `x`; another drive is no file system. */
function objectName(path: string): string | undefined {
  if (path.startsWith("/FLASH")) path = path.slice(6).replace(/^\//, "");
  else if (path.startsWith("/")) return undefined;
  return path === "" || path.length > NAME_LEN ? undefined : path;
}

/** SPIFFS's `fs_mode2flag`. */
function modeFlags(
  mode: string,
): Omit<OpenFile, "name" | "pos"> & { create: boolean; truncate: boolean } {
  const table: Record<string, [boolean, boolean, boolean, boolean, boolean]> = {
    w: [false, true, false, true, true],
    a: [false, true, true, true, false],
    "r+": [true, true, false, false, false],
    "w+": [true, true, false, true, true],
    "a+": [true, true, true, true, false],
  };
  const [readable, writable, append, create, truncate] = table[mode] ??
    [true, false, false, false, false];
  return { readable, writable, append, create, truncate };
}

/** SPIFFS's file descriptors: at most {@link MAX_OPEN_FILES}, the last opened one current. */
class Descriptors {
  readonly #host: NodemcuHost;
  readonly #files = new Map<number, OpenFile>();
  #current = 0;
  #nextId = 1;

  constructor(host: NodemcuHost) {
    this.#host = host;
  }

  get count(): number {
    return this.#files.size;
  }

  clear(): void {
    this.#files.clear();
    this.#current = 0;
  }

  /** `file.open`: an id, `busy` when all descriptors are taken, or nothing. */
  open(name: LuaValue, mode: LuaValue): LuaValue {
    const path = checkName(name, 1);
    const flags = modeFlags(mode === undefined ? "r" : checkString(mode, 2));
    const sys = this.#host.fs();
    const object = objectName(path);
    if (this.#files.size >= MAX_OPEN_FILES) return "busy";
    if (sys === undefined || object === undefined) return undefined;
    if (!sys.exists(object) && !flags.create) return undefined;
    if ((flags.truncate || !sys.exists(object)) && !sys.create(object)) return undefined;
    const id = this.#nextId++;
    this.#files.set(id, { name: object, pos: 0, ...flags });
    this.#current = id;
    return id;
  }

  /** A descriptor by id (0: the current one). */
  get(id: LuaValue): OpenFile {
    const f = this.#files.get(id === 0 ? this.#current : Number(id));
    if (f === undefined) throw new Error("open a file first");
    return f;
  }

  close(id: number): void {
    const key = id === 0 ? this.#current : id;
    const f = this.#files.get(key);
    if (f !== undefined) this.#host.fs()?.flush(f.name);
    this.#files.delete(key);
    if (key === this.#current) this.#current = 0;
  }

  /** Up to `n` bytes, or through the first `end` byte; nil at the end or when not readable. */
  read(f: OpenFile, n: number, end: number | undefined): LuaValue {
    const d = this.#host.device;
    const data = f.readable ? this.#host.fs()?.readAt(f.name, f.pos, n) : undefined;
    if (data === undefined || data.length === 0) return undefined;
    const stop = end === undefined ? -1 : data.indexOf(end);
    const got = stop < 0 ? data : data.subarray(0, stop + 1);
    f.pos += got.length;
    d.work(got.length * d.timing.readUsPerByte);
    return textOf(got);
  }

  write(f: OpenFile, text: string): boolean {
    const sys = this.#host.fs();
    if (!f.writable || sys === undefined) return false;
    if (f.append) f.pos = sys.size(f.name) ?? 0;
    if (!sys.writeAt(f.name, f.pos, bytesOf(text))) return false;
    f.pos += text.length;
    return true;
  }

  seek(f: OpenFile, whence: LuaValue, offset: LuaValue): LuaValue {
    const w = whence === undefined ? "cur" : checkString(whence, 1);
    if (!["set", "cur", "end"].includes(w)) throw argError(1, `invalid option '${w}'`);
    const by = offset === undefined ? 0 : checkInteger(offset, 2, { lua: this.#host.vm.version });
    const size = this.#host.fs()?.size(f.name) ?? 0;
    const to = (w === "set" ? 0 : w === "cur" ? f.pos : size) + by;
    if (to < 0 || to > size) return undefined;
    f.pos = to;
    return to;
  }
}

/** The calls on a descriptor, taking its id first (0: the current file). */
function descriptorCalls(fds: Descriptors, host: NodemcuHost): Record<string, LuaFunction> {
  return {
    open: (name, mode) => fds.open(name, mode),
    close: (id) => (fds.close(Number(id)), []),
    read: (id, what) => {
      const f = fds.get(id);
      if (typeof what === "number") {
        return fds.read(f, checkInteger(what, 1, { lua: host.vm.version }), undefined);
      }
      if (typeof what !== "string") return fds.read(f, READ_CHUNK, undefined);
      if (what.length !== 1) throw new Error("wrong arg range");
      return fds.read(f, READ_CHUNK, what.charCodeAt(0));
    },
    readline: (id) => fds.read(fds.get(id), READ_CHUNK, 0x0a),
    write: (id, s) => fds.write(fds.get(id), checkString(s, 1)) ? true : undefined,
    writeline: (id, s) => {
      const f = fds.get(id);
      return fds.write(f, checkString(s, 1)) && fds.write(f, "\n") ? true : undefined;
    },
    seek: (id, whence, offset) => fds.seek(fds.get(id), whence, offset),
    flush: (id) => (host.fs()?.flush(fds.get(id).name) ? true : undefined),
    gc: (id) => (fds.close(Number(id)), []),
    list: () => table(Object.fromEntries(host.fs()?.list() ?? [])),
  };
}

/**
 * Installs `file`.
 *
 * @param host the firmware's side
 * @returns `close` forgets every open file (at a restart); `count` says how many are open
 *
 * @example
 * ```ts
 * import { SimBoard } from "./board.ts";
 * import { buildNodemcuFirmware } from "../testing/nodemcu_firmware.ts";
 * import { ConsoleTap, flashImage } from "./console_tap.ts";
 * import assert from "node:assert/strict";
 * const flashContents = flashImage(1 << 20, buildNodemcuFirmware({ totalSize: 0x20000, flashSize: "1MB" }).combined);
 * const board = new SimBoard({ flashSize: "1MB", flashContents });
 * const tap = new ConsoleTap(board);
 * await tap.until("\r\n> ");
 * tap.clear();
 * tap.type('f = file.open("a.txt", "w+") f:write("hi\\n") f:seek("set") print(f:readline()) f:close()\r\n');
 * assert.match(await tap.until("\r\n> "), /\r\nhi\r\n\r\n> $/);
 * await board.close();
 * ```
 */
export function installFile(host: NodemcuHost): { close(): void; count(): number } {
  const fds = new Descriptors(host);
  host.vm.setGlobal("__sim_file", table(descriptorCalls(fds, host)));
  const module = fileFunctions(host);
  if (host.image.era === "3.x") Object.assign(module, contentsFunctions(host, () => fds.count));
  host.vm.defineModule("file", module);
  runPrelude(host.vm, FILE_PRELUDE);
  return { close: () => fds.clear(), count: () => fds.count };
}

/** 3.x's whole-file calls (each uses a file descriptor while it runs, as the C code does). */
function contentsFunctions(host: NodemcuHost, open: () => number): Record<string, LuaFunction> {
  const fs = () => host.fs();
  return {
    getcontents: (name) => {
      const o = objectName(checkName(name, 1));
      const data = o === undefined || open() >= MAX_OPEN_FILES ? undefined : fs()?.read(o);
      if (data === undefined) return undefined;
      host.device.work(data.length * host.device.timing.readUsPerByte);
      return textOf(data);
    },
    putcontents: (name, data) => {
      const o = objectName(checkName(name, 1));
      const text = checkString(data, 2);
      const sys = fs();
      if (o === undefined || sys === undefined || open() >= MAX_OPEN_FILES) return undefined;
      return sys.create(o) && sys.writeAt(o, 0, bytesOf(text)) && sys.flush(o) ? true : undefined;
    },
  };
}

/** The calls that take a name, not a file. */
function fileFunctions(host: NodemcuHost): Record<string, LuaFunction> {
  const fs = () => host.fs();
  const object = (value: LuaValue, n: number, options: { whole?: boolean } = {}) =>
    objectName(checkName(value, n, options));
  return {
    remove: (name) => {
      const o = object(name, 1);
      if (o !== undefined) fs()?.remove(o);
      return [];
    },
    exists: (name) => {
      const o = object(name, 1);
      return o !== undefined && (fs()?.exists(o) ?? false);
    },
    rename: (from, to) => {
      const a = object(from, 1);
      const b = object(to, 2);
      return a !== undefined && b !== undefined && (fs()?.rename(a, b) ?? false);
    },
    stat: (name) => {
      const o = object(name, 1, { whole: true });
      const size = o === undefined ? undefined : fs()?.size(o);
      if (size === undefined) return undefined;
      const time = table({ year: 1970, mon: 1, day: 1, hour: 0, min: 0, sec: 0 });
      return table({
        size,
        name: o,
        is_dir: false,
        is_rdonly: false,
        is_hidden: false,
        is_sys: false,
        is_arch: false,
        time,
      });
    },
    fsinfo: () => {
      const usage = fs()?.usage();
      if (usage === undefined) throw new Error("file system failed");
      return [usage.total - usage.used, usage.used, usage.total];
    },
    fscfg: () => {
      const area = fs()?.area;
      return area === undefined ? [0, 0] : [area.address, area.size];
    },
    format: () => {
      if (!host.format()) {
        host.runtime.print(
          "\n*** ERROR ***: unable to format. FS might be compromised.\n" +
            "It is advised to re-flash the NodeMCU image.\n",
        );
        throw new Error("Failed to format file system");
      }
      host.runtime.print("format done.\n");
      return [];
    },
    on: (event) => {
      if (event !== "rtc") throw argError(1, `invalid option '${String(event)}'`);
      return [];
    },
  };
}

/** The file object and the calls on the current file, in Lua around the JavaScript side. */
const FILE_PRELUDE = `
local B = ...
local P, unpack, select, type, rawget = __sim_file, table.unpack or unpack, select, type, rawget
local setmetatable, collectgarbage, tostring = setmetatable, collectgarbage, tostring
__sim_file = nil
local function pack(...) return { n = select("#", ...), ... } end
local FD = {}
local function idof(o) return type(o) == "table" and rawget(o, "__fd") end
-- The C functions take the file object first (argument errors count it), or the current file.
for _, name in ipairs({ "close", "read", "readline", "write", "writeline", "seek", "flush" }) do
  local f = P[name]
  FD[name] = function(self, ...)
    B.argshift(1)
    local r = pack(f(idof(self) or -1, ...))
    return unpack(r, 1, r.n)
  end
  file[name] = function(...)
    local id = idof((...))
    local r
    if id then
      B.argshift(1)
      r = pack(f(id, select(2, ...)))
    else
      r = pack(f(0, ...))
    end
    return unpack(r, 1, r.n)
  end
end
local MT = { __index = FD, __gc = function(o) P.gc(rawget(o, "__fd")) end,
  __tostring = function(o) return "file.obj: " .. tostring(rawget(o, "__fd")) end }
function file.open(...)
  local id = P.open(...)
  if id == "busy" then
    pcall(collectgarbage) -- closes forgotten files where the VM runs finalizers
    id = P.open(...)
  end
  if type(id) ~= "number" then return nil end
  return setmetatable({ __fd = id }, MT)
end
function file.list(pattern)
  local t = {}
  for name, size in pairs(P.list()) do
    if pattern == nil or string.match(name, pattern) then t[name] = size end
  end
  return t
end
`;
