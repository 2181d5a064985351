/**
 * The Lua half of the bridge between JavaScript and a Lua 5.1 or 5.3 interpreter
 * (lua_wasm.ts) that exports no way to push a JavaScript function: a chunk run once per VM.
 * It keeps private copies of what it needs (`io.stdin`, `io.stderr`, `os.clock`,
 * `debug.sethook`, `loadstring`/`load`), then removes what the firmware's Lua lacks or what
 * would let a script escape the watchdog (`io`, `os`, `require`, `package`, `loadfile`,
 * `dofile`, `debug.sethook`, `debug.gethook`), and returns the driver function JavaScript calls
 * for everything (`driver(op, a, b)`).
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
 *   JavaScript function; the reply comes back on stdin as `v<len>\n<values chunk>` or
 *   `e<len>\n<message>` (raised as a Lua error at the caller). `G<id>;` says Lua collected the
 *   function made for JavaScript function `id`. Values are `N`, `T`, `F`, `n<%.17g>;`,
 *   `i<integer>;` (5.3), `s<len>:<bytes>`, `f<ref>;` (a Lua function kept for JavaScript) and
 *   `r<type>;` (anything else).
 * - **Watchdog**: a count hook on every coroutine calls `os.clock` every `step` instructions;
 *   the host counts them there and throws when the limit is passed, out of the interpreter.
 * - `print` is the version's own, writing to stdout (line buffered).
 *
 * @module
 */

/** What the driver keeps for itself before the scripts lose it. */
const PRIVATES = `
local G, type, select, tostring, tonumber, pcall, error = _G, type, select, tostring, tonumber, pcall, error
local setmetatable, getmetatable, newproxy = setmetatable, getmetatable, newproxy
local inp, err = io.stdin, io.stderr
local read, write = inp.read, err.write
local format, sub, byte, gsub, gmatch = string.format, string.sub, string.byte, string.gsub, string.gmatch
local concat, unpack = table.concat, unpack or table.unpack
local loadstr = loadstring or load
local mathtype = math.type
local clock, sethook = os.clock, debug.sethook
local create, resume = coroutine.create, coroutine.resume
io.stdout:setvbuf("line")

local function pack(...) return { n = select("#", ...), ... } end
`;

/** The watchdog: a count hook calling `os.clock` on the main thread and on every coroutine. */
const watchdog = (step: number) => `
sethook(clock, "", ${step})
coroutine.create = function(f)
  local ok, co = pcall(create, f)
  if not ok then error((gsub(co, "'%?'", "'create'", 1)), 2) end
  sethook(co, clock, "", ${step})
  return co
end
coroutine.wrap = function(f)
  local ok, co = pcall(create, f)
  if not ok then error((gsub(co, "'%?'", "'wrap'", 1)), 2) end
  sethook(co, clock, "", ${step})
  return function(...)
    local r = pack(resume(co, ...))
    if r[1] then return unpack(r, 2, r.n) end
    error(r[2], 2)
  end
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

local F
local function R(id) return refs[id] end
local function values(src) return loadstr(src, "=values")(F, R) end

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
    if byte(head) == 101 then error(body, 2) end
    return values(body)
  end
end
`;

/** The operations JavaScript calls the driver for. */
const OPS = `
local function finish(ok, ...)
  if not ok then return "error", tostring((...)) end
  local n = select("#", ...)
  if n == 0 then return "ok" end
  local out = { ... }
  for i = 1, n do out[i] = tostring(out[i]) end
  return "ok", unpack(out, 1, n)
end

local ops = {}
function ops.run(n, name)
  local f, msg = loadstr(take(n), name)
  if not f then return "syntax", msg end
  return finish(pcall(f))
end
function ops.load(n, name)
  local f, msg = loadstr(take(n), name)
  if not f then return "syntax", msg end
  return "ok", ref(f)
end
function ops.call(id, n)
  local f = refs[tonumber(id)]
  local args = pack(values(take(n)))
  if f == nil then return "error", "attempt to call a released function" end
  return finish(pcall(f, unpack(args, 1, args.n)))
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

/** What the scripts must not see; the driver function. */
const SEAL = `
io, os, require, package, loadfile, dofile = nil, nil, nil, nil, nil, nil
debug.sethook, debug.gethook = nil, nil

return function(op, a, b) return ops[op](a, b) end
`;

/**
 * The driver chunk for a version.
 *
 * @param step instructions between two watchdog calls
 * @returns Lua source (ASCII), returning the driver function
 *
 * @example
 * ```ts
 * import { luaDriverSource } from "./lua_driver.ts";
 * if (!luaDriverSource(1000).includes("sethook(clock, \"\", 1000)")) throw new Error();
 * ```
 */
export function luaDriverSource(step: number): string {
  return [PRIVATES, watchdog(step), REFS, BRIDGE, OPS, SEAL].join("\n");
}
