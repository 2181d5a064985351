/**
 * The Lua half of the bridge between JavaScript and a Lua 5.1 or 5.3 interpreter
 * (lua_wasm.ts) that exports no way to push a JavaScript function: a chunk (named `=[bridge]`)
 * run once per VM. It keeps private copies of what it needs (`io.stdin`, `io.stderr`,
 * `os.clock`, `debug.sethook`, `debug.getinfo`, `loadstring`/`load`), then removes what the
 * firmware's Lua lacks or what would let a script escape the watchdog (`io`, `os`, `require`,
 * `package`, `loadfile`, `dofile`, `debug.sethook`, `debug.gethook`), puts in its own
 * `debug.traceback` and `debug.getinfo` (lua_cframes.ts: the simulator's Lua reads as the
 * firmware's C code), and returns the driver function JavaScript calls for everything
 * (`driver(op, a, b, c)`).
 *
 * The wire, all of it synchronous:
 *
 * - **JavaScript to Lua** (stdin): the bytes an operation needs (a chunk's source, a values
 *   chunk), queued before the driver is called; the driver reads exactly that many.
 * - **Values chunks**: Lua source `local F,R=...;return v1,v2` built by lua_values.ts, run with
 *   `F(id)` (makes a Lua function that calls JavaScript function `id`) and `R(id)` (the Lua
 *   function JavaScript holds as `id`). Compiling is done by the interpreter in C: strings of
 *   any bytes travel as escapes.
 * - **Lua to JavaScript** (stderr, one `write` per frame): `C<len>:<id><values>` calls a
 *   JavaScript function; the reply comes back on stdin as `v<len>\n<values chunk>`, or as an
 *   error the calling Lua function raises as a C function would: `e<len>\n<message>`
 *   (`luaL_error`: the caller's position first), `a<len>\n<n>:<problem>` (`luaL_argerror` for
 *   argument `n`) or `r<len>\n<message>` (`lua_error`: the message alone). `G<id>;` says Lua
 *   collected the function made for JavaScript function `id`. Values are `N`, `T`, `F`,
 *   `n<%.17g>;`, `i<integer>;` (5.3), `s<len>:<bytes>`, `f<ref>;` (a Lua function kept for
 *   JavaScript) and `r<type>;` (anything else).
 * - **Simulator code** (op `host`): a chunk named `=[sim]`, called with the bridge's helpers
 *   for code that stands for the firmware's C functions (`cerror`, `argerror`, `argshift`,
 *   `cfunction`, `seal`).
 * - **Watchdog**: a count hook on every coroutine calls `os.clock` every `step` instructions;
 *   the host counts them there and throws when the limit is passed, out of the interpreter.
 * - `print` is the version's own, writing to stdout (line buffered).
 *
 * @module
 */

import { luaCFramesSource } from "./lua_cframes.ts";

/** What the driver keeps for itself before the scripts lose it. */
const PRIVATES = `
local G, type, select, tostring, tonumber, pcall, error = _G, type, select, tostring, tonumber, pcall, error
local next, rawequal, rawget = next, rawequal, rawget
local setmetatable, getmetatable, newproxy = setmetatable, getmetatable, newproxy
local inp, err = io.stdin, io.stderr
local read, write = inp.read, err.write
local format, sub, byte, gsub, gmatch, match = string.format, string.sub, string.byte, string.gsub, string.gmatch, string.match
local concat, sort, unpack = table.concat, table.sort, unpack or table.unpack
local loadstr = loadstring or load
local mathtype, tointeger = math.type, math.tointeger
local clock, sethook, getinfo = os.clock, debug.sethook, debug.getinfo
local create, resume = coroutine.create, coroutine.resume
io.stdout:setvbuf("line")

local function pack(...) return { n = select("#", ...), ... } end
`;

/**
 * The watchdog: a count hook calling `os.clock` on the main thread and on every coroutine.
 * `coroutine.create` and `coroutine.wrap` become the bridge's, so they read as the C functions
 * they stand for (5.1's refuse C functions; wrap's errors get the caller's position, as auxwrap
 * adds it).
 */
const watchdog = (step: number) => `
sethook(clock, "", ${step})
local function cocreate(f)
  if V51 and simfunc(f) then argerror(1, "Lua function expected") end
  local ok, co = pcall(create, f)
  if not ok then
    local n, problem = match(co, "bad argument #(%d+) to '[^']*' %((.*)%)$")
    if n then argerror(tonumber(n), problem) end
    error(co, 0)
  end
  sethook(co, clock, "", ${step})
  return co
end
coroutine.create = function(f)
  local co = cocreate(f)
  return co
end
coroutine.wrap = function(f)
  local co = cocreate(f)
  local function wrapped(...)
    local r = pack(resume(co, ...))
    if r[1] then return unpack(r, 2, r.n) end
    local e = r[2]
    if type(e) == "string" or (V51 and type(e) == "number") then cerror(e) end
    error(e, 0)
  end
  return wrapped
end
`;

/** Lua functions held by JavaScript (counted handles), and how Lua values are encoded for it. */
const REFS = `
local refs, ids, counts, last = {}, {}, {}, 0
local function ref(v)
  local id = ids[v]
  if id == nil then
    last = last + 1
    id = last
    ids[v], refs[id], counts[id] = id, v, 0
  end
  counts[id] = counts[id] + 1
  return id
end
local function unref(id)
  local c = counts[id]
  if c == nil then return end
  if c > 1 then counts[id] = c - 1 return end
  ids[refs[id]], refs[id], counts[id] = nil, nil, nil
end

local function enc(v)
  local t = type(v)
  if t == "string" then return "s" .. #v .. ":" .. v end
  if t == "number" then
    if mathtype and mathtype(v) == "integer" then return "i" .. v .. ";" end
    return "n" .. format("%.17g", v) .. ";"
  end
  if t == "boolean" then return v and "T" or "F" end
  if t == "nil" then return "N" end
  if t == "function" then return "f" .. ref(v) .. ";" end
  return "r" .. t .. ";"
end
`;

/** Reading what JavaScript queued; functions that call JavaScript (`F`), held functions (`R`). */
const BRIDGE = `
local function take(n)
  n = tonumber(n)
  if n == 0 then return "" end
  return read(inp, n) or ""
end

local argshift = 0
local F
local function R(id) return refs[id] end
local function values(src) return loadstr(src, "=[bridge]")(F, R) end

F = function(id)
  local frame = "G" .. id .. ";"
  local anchor
  if newproxy then
    anchor = newproxy(true)
    getmetatable(anchor).__gc = function() write(err, frame) end
  else
    anchor = setmetatable({}, { __gc = function() write(err, frame) end })
  end
  return function(...)
    local _ = anchor
    local shift = argshift
    argshift = 0
    local n = select("#", ...)
    local msg = id .. ""
    if n > 0 then
      local parts = { msg }
      for i = 1, n do parts[i + 1] = enc((select(i, ...))) end
      msg = concat(parts)
    end
    if not write(err, "C", #msg, ":", msg) then clock() end
    local head = read(inp, "*l")
    if head == nil then clock() end
    local body = take(sub(head, 2))
    local kind = byte(head)
    if kind == 101 then cerror(body) end
    if kind == 97 then
      local k, problem = match(body, "^(%d+):(.*)$")
      argerror(tonumber(k) + shift, problem)
    end
    if kind == 114 then error(body, 0) end
    local r = pack(values(body))
    return unpack(r, 1, r.n)
  end
end
`;

/** The operations JavaScript calls the driver for; the helpers simulator code gets. */
const OPS = `
local function finish(ok, ...)
  if not ok then return "error", tostring((...)) end
  local n = select("#", ...)
  if n == 0 then return "ok" end
  local out = { ... }
  for i = 1, n do out[i] = tostring(out[i]) end
  return "ok", unpack(out, 1, n)
end

local depth = 0
local function enter(below, f, ...)
  if depth == 0 then base = tonumber(below) or 0 end
  depth = depth + 1
  local r = pack(pcall(f, ...))
  depth = depth - 1
  return finish(unpack(r, 1, r.n))
end

local B = {
  cerror = cerror,
  argerror = argerror,
  argshift = function(k) argshift = k end,
  cfunction = function(f) cfuncs[f] = true return f end,
  seal = seal,
}

local ops = {}
-- (No tail calls into Lua functions here or in simulator code: Lua 5.1 would show a "(tail
-- call)" level where the firmware has its C frames.)
function ops.run(n, name)
  local f, msg = loadstr(take(n), name)
  if not f then return "syntax", msg end
  local r = pack(enter(0, f))
  return unpack(r, 1, r.n)
end
function ops.host(n)
  local f, msg = loadstr(take(n), "=[sim]")
  if not f then return "syntax", msg end
  local r = pack(enter(0, f, B))
  return unpack(r, 1, r.n)
end
function ops.load(n, name)
  local f, msg = loadstr(take(n), name)
  if not f then return "syntax", msg end
  return "ok", ref(f)
end
function ops.call(id, n, below)
  local f = refs[tonumber(id)]
  local args = pack(values(take(n)))
  if f == nil then return "error", "attempt to call a released function" end
  local r = pack(enter(below, f, unpack(args, 1, args.n)))
  return unpack(r, 1, r.n)
end
function ops.set(name, n)
  G[name] = (values(take(n)))
  return "ok"
end
function ops.get(name)
  local v = G[name]
  local t = type(v)
  if t == "string" or t == "number" then return "ok", v end
  return "ok"
end
function ops.free(list)
  for id in gmatch(list, "%d+") do unref(tonumber(id)) end
  return "ok"
end
`;

/** What the scripts must not see, what they see instead; the driver function. */
const SEAL = `
io, os, require, package, loadfile, dofile = nil, nil, nil, nil, nil, nil
debug.sethook, debug.gethook = nil, nil
debug.traceback, debug.getinfo = traceback, getinfo2

entry = function(op, a, b, c)
  local r = pack(ops[op](a, b, c))
  return unpack(r, 1, r.n)
end
return entry
`;

/**
 * The driver chunk for a version.
 *
 * @param step instructions between two watchdog calls
 * @returns Lua source (ASCII), returning the driver function when run as a chunk named
 *   `=[bridge]` (see {@link luaDriverLoader})
 *
 * @example
 * ```ts
 * import { luaDriverSource } from "./lua_driver.ts";
 * if (!luaDriverSource(1000).includes("sethook(clock, \"\", 1000)")) throw new Error();
 * ```
 */
export function luaDriverSource(step: number): string {
  return [PRIVATES, luaCFramesSource(), watchdog(step), REFS, BRIDGE, OPS, SEAL].join("\n");
}

/**
 * A chunk that compiles the driver under the name `=[bridge]` (the C API's `luaL_loadstring`
 * names a chunk after its text) and returns the driver function.
 *
 * @param step instructions between two watchdog calls
 * @returns Lua source (ASCII)
 *
 * @example
 * ```ts
 * import { luaDriverLoader } from "./lua_driver.ts";
 * if (!luaDriverLoader(1000).endsWith('"=[bridge]")()')) throw new Error();
 * ```
 */
export function luaDriverLoader(step: number): string {
  const source = luaDriverSource(step);
  let level = "";
  while (source.includes(`]${level}]`)) level += "=";
  return `return (loadstring or load)([${level}[${source}]${level}], "=[bridge]")()`;
}
