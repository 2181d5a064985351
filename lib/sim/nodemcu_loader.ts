/**
 * Loading Lua from the file system as NodeMCU's base and package libraries do: `loadfile`,
 * `dofile` (`cannot open NAME: ` on the pipe front end, `cannot open NAME` before it, raised
 * without a position),
 * `require` with `package.path` `?.lc;?.lua` (a dot in the module name is a `/`),
 * `package.loaded`, `package.preload` and `package.loaders` (also `package.searchers`; an LFS
 * `_init` replaces `package.loaders[3]`, as NodeMCU's example does), and NodeMCU 5.1's rule that
 * a global table of the module's name (a built-in module) is returned as is. Reading a file costs
 * flash read time.
 *
 * @module
 */

import type { NodemcuHost } from "./nodemcu_host.ts";
import { runPrelude } from "./nodemcu_host.ts";
import { textOf } from "./lua_vm.ts";

/**
 * Installs `loadfile`, `dofile`, `require` and `package`.
 *
 * @param host the firmware's side
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
 * board.nodemcu!.fs!.write("greet.lua", new TextEncoder().encode("return { hi = function() return 'hello' end }"));
 * tap.clear();
 * tap.type("print(require('greet').hi())\r\n");
 * assert.match(await tap.until("\r\n> "), /hello\r\n> $/);
 * await board.close();
 * ```
 */
export function installLoader(host: NodemcuHost): void {
  const { vm, device } = host;
  vm.setGlobal("__sim_read", (name) => {
    const data = typeof name === "string" ? host.fs()?.read(name) : undefined;
    if (data === undefined) return undefined;
    device.work(data.length * device.timing.readUsPerByte);
    return textOf(data);
  });
  // the pipe front end's luaL_loadfile adds strerror (empty on the device); readline's did not
  const suffix = host.image.frontEnd.console === "pipe" ? ": " : "";
  runPrelude(vm, loaderSource(suffix));
}

/** The Lua side: `suffix` follows `cannot open NAME` (pipe front end: ": ", the empty `strerror`). */
function loaderSource(suffix: string): string {
  return `local B = ...
    local read, loadstring, unpack = __sim_read, loadstring or load, table.unpack or unpack
    local type, tostring, select, error, G = type, tostring, select, error, _G
    local function pack(...) return { n = select("#", ...), ... } end
    local function load(name)
      local src = read(name)
      if src == nil then return nil, "cannot open " .. tostring(name) .. ${
    JSON.stringify(suffix)
  } end
      return loadstring(src, "@" .. name)
    end
    function loadfile(name)
      local f, err = load(name)
      return f, err
    end
    function dofile(name)
      local chunk, err = load(name)
      if not chunk then error(err, 0) end
      local r = pack(chunk())
      return unpack(r, 1, r.n)
    end
    local function preload(name)
      local f = package.preload[name]
      if f == nil then return "\\n\\tno field package.preload['" .. name .. "']" end
      return f
    end
    local function lualoader(name)
      local tried, path = "", name:gsub("%.", "/")
      for template in package.path:gmatch("[^;]+") do
        local file = template:gsub("%?", path)
        if read(file) ~= nil then
          local f, err = load(file)
          if not f then
            B.cerror("error loading module '" .. name .. "' from file '" .. file .. "':\\n\\t" .. err)
          end
          return f
        end
        tried = tried .. "\\n\\tno file '" .. file .. "'"
      end
      return tried
    end
    local none = function() return nil end
    package = { path = "?.lc;?.lua", cpath = "", loaded = {}, preload = {},
      loaders = { B.cfunction(preload), B.cfunction(lualoader), B.cfunction(none), none } }
    package.searchers = package.loaders
    local loading = {}
    function require(name)
      name = tostring(name)
      local have = package.loaded[name]
      if have ~= nil and have ~= false then
        if have == loading then B.cerror("loop or previous error loading module '" .. name .. "'") end
        return have
      end
      if type(G[name]) == "table" then return G[name] end
      local why = ""
      for i = 1, 4 do
        local loader = package.loaders[i]
        local f = loader and loader(name)
        if type(f) == "function" then
          package.loaded[name] = loading
          local r = f(name)
          if r ~= nil then package.loaded[name] = r end
          if package.loaded[name] == loading then package.loaded[name] = true end
          return package.loaded[name]
        elseif type(f) == "string" then why = why .. f end
      end
      B.cerror("module '" .. name .. "' not found:" .. why)
    end`;
}
