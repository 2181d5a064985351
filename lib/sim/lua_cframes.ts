/**
 * The part of the Lua bridge (lua_driver.ts) that makes the simulator's own Lua code read as the
 * firmware's C code. On a board, `file.open` and `require` are C functions; here they are Lua
 * closures (the bridge's calls into JavaScript) and Lua preludes (chunks named `=[sim]`), and
 * the bridge's own chunk (`=[bridge]`) runs below every entry from JavaScript. This Lua source
 * hides all of that where a script can see it:
 *
 * - **The device's stack** (`frames`): the interpreter's frames, with each run of simulator
 *   frames called by a script's code shown as one C frame (named as the script called it), the
 *   simulator's internal frames and the C functions they call left out, functions marked with
 *   `cfunction` (a message handler, `debug.traceback`, a `package.loaders` searcher) shown as
 *   C functions of their own, a script function called by simulator code shown as called from C
 *   (without a name), and, at the bottom of an entry from JavaScript, the C frames the firmware
 *   has below it (`base`: two for a console line on 3.x, one for `init.lua`).
 * - **Errors** (`cerror`, `argerror`): `luaL_error` (the position of the code that called the C
 *   function, none when C called it) and `luaL_argerror` (`bad argument #n to 'name' (…)`, the
 *   name from the calling instruction, `self` not counted in a method call, `calling 'f' on bad
 *   self`; with no name, `?` on Lua 5.1 and NodeMCU 5.3's search of `package.loaded` and its ROM
 *   tables).
 * - **`debug.traceback`**: 5.1's `db_errorfb` (12 levels, `...`, the last 10; `in function
 *   'name'`, `in main chunk`, ` ?`) or 5.3's `luaL_traceback` (10, `...`, the last 11; names
 *   found through `package.loaded` and ROM first, then `field 'x'`, `local 'x'`…, `in ?`),
 *   over the device's stack.
 * - **`debug.getinfo`** by level (the device's levels) or of a simulator function (a C
 *   function's answers: source `=[C]`, `what` `C`, no lines).
 *
 * It is Lua source spliced into the driver chunk after its private copies (`getinfo`, `G`,
 * `next`, `rawequal`, `rawget`, `select`, `type`, `tostring`, `tonumber`, `tointeger`, `error`,
 * `pcall`, `sub`, `concat`, `sort`, `setmetatable`).
 *
 * @module
 */

/** Which frames the device has: the simulator's, their names, the entry's C frames below. */
const FRAMES = `
local SIM = { ["=[bridge]"] = true, ["=[sim]"] = true }
local V51 = G._VERSION == "Lua 5.1"
local WHAT = V51 and "Slnf" or "Slnft"
local cfuncs = setmetatable({}, { __mode = "k" })
local rom, romset = {}, {}
local base, entry = 0, nil

local function simfunc(f)
  local info = type(f) == "function" and getinfo(f, "S")
  return info and SIM[info.source] == true or false
end

-- The frames from 'level' (counted as the caller of frames() counts them) of thread 'co' (levels
-- from 0), as the device has them: { c = C frame?, info = raw frame, named = called by code? }.
local function frames(co, level)
  local raw = {}
  while true do
    local info
    if co then info = getinfo(co, level, WHAT) else info = getinfo(level + 1, WHAT) end
    if info == nil then break end
    info.level = level
    raw[#raw + 1] = info
    level = level + 1
  end
  local n, simish = #raw, {}
  for i = n, 1, -1 do
    local f = raw[i]
    simish[i] = SIM[f.source] == true or (f.what == "C" and simish[i + 1] == true)
  end
  local out = {}
  for i = 1, n do
    local f, below = raw[i], simish[i + 1] == true
    if SIM[f.source] then
      if i == n and f.func == entry then
        for _ = 1, base do out[#out + 1] = { c = true } end
      else
        -- a script's tail call into the simulator: the script's frame is gone, not the call
        local tail = f.istailcall or (raw[i + 1] ~= nil and raw[i + 1].what == "tail")
        if not below or tail or cfuncs[f.func] then
          out[#out + 1] = { c = true, info = f, named = not below, tail = tail }
        end
      end
    elseif f.what == "tail" and i > 1 and SIM[raw[i - 1].source] then
      -- a script's tail call into the simulator: a C function is not tail-called on the device
    elseif f.what == "C" then
      if not below then out[#out + 1] = { c = true, info = f, named = true } end
    else
      out[#out + 1] = { info = f, named = not below }
    end
  end
  return out
end

-- NodeMCU 5.3's pushglobalfuncname: package.loaded (with _G as the scripts filled it), then the
-- firmware's ROM tables, two levels deep.
local function findfield(obj, t, level)
  if level == 0 or type(t) ~= "table" then return nil end
  for k, v in next, t do
    if type(k) == "string" then
      if rawequal(v, obj) then return k end
      local inner = findfield(obj, v, level - 1)
      if inner then return k .. "." .. inner end
    end
  end
  return nil
end

local function romname(fn)
  if fn == nil then return nil end
  local user = {}
  for k, v in next, G do
    if not rawequal(romset[k], v) then user[k] = v end
  end
  local pkg = rawget(G, "package")
  local name = findfield(fn, { _G = user, package = pkg }, 2)
  if name == nil and type(pkg) == "table" then name = findfield(fn, pkg.loaded, 2) end
  if name == nil then
    for i = 1, #rom do
      local k, v = rom[i][1], rom[i][2]
      if rawequal(v, fn) then name = k break end
      local inner = findfield(fn, v, 1)
      if inner then name = k .. "." .. inner break end
    end
  end
  if name and sub(name, 1, 3) == "_G." then name = sub(name, 4) end
  return name
end

-- A name for a simulator function a script tail-called (the calling instruction is gone; on
-- the device a C function is never tail-called, so it has one): where the globals hold it.
local function tailname(fn)
  local path = romname(fn)
  if path == nil then return nil, "" end
  local last = match(path, "([^.]+)$")
  return last, last == path and "global" or "field"
end

local ROM_ORDER = { "assert", "collectgarbage", "dofile", "error", "getmetatable", "ipairs",
  "loadfile", "load", "loadstring", "next", "pairs", "pcall", "print", "rawequal", "rawlen",
  "rawget", "rawset", "select", "setmetatable", "tonumber", "tostring", "type", "unpack",
  "xpcall", "string", "table", "debug", "coroutine", "math", "utf8" }

local function seal()
  rom, romset = {}, {}
  local seen = { _G = true, _VERSION = true, package = true }
  local function add(k)
    local v = rawget(G, k)
    if v ~= nil and not seen[k] then
      seen[k] = true
      rom[#rom + 1] = { k, v }
      romset[k] = v
    end
  end
  for i = 1, #ROM_ORDER do add(ROM_ORDER[i]) end
  local rest = {}
  for k in next, G do
    if type(k) == "string" and not seen[k] then rest[#rest + 1] = k end
  end
  sort(rest)
  for i = 1, #rest do add(rest[i]) end
end
`;

/** luaL_where, luaL_error, luaL_argerror over the device's stack. */
const ERRORS = `
local function where(d)
  local caller = d[2]
  if caller and not caller.c and caller.info.currentline > 0 then
    return caller.info.short_src .. ":" .. caller.info.currentline .. ": "
  end
  return ""
end

local function cerror(msg)
  local d = frames(nil, 1)
  error(where(d) .. msg, 0)
end

local function argerror(n, problem)
  local d = frames(nil, 1)
  local top = d[1]
  local f = top and top.info
  local name, namewhat = nil, ""
  if f and top.named then name, namewhat = f.name, f.namewhat end
  if name == nil and top and top.tail then name, namewhat = tailname(f.func) end
  if namewhat == "method" then
    n = n - 1
    if n == 0 then
      error(where(d) .. "calling '" .. tostring(name) .. "' on bad self (" .. problem .. ")", 0)
    end
  end
  if name == nil then name = (not V51 and f and romname(f.func)) or "?" end
  error(where(d) .. "bad argument #" .. n .. " to '" .. name .. "' (" .. problem .. ")", 0)
end

local function typename(v) if v == nil then return "no value" end return type(v) end
`;

/** debug.traceback as the firmware's Lua version writes it, over the device's stack. */
const TRACEBACK = `
local function describe(d)
  local f = d.info
  local src, line = "[C]", -1
  if not d.c then src, line = f.short_src, f.currentline end
  local head = src .. ":" .. (line > 0 and (line .. ":") or "")
  local name, namewhat = nil, ""
  if f and d.named then name, namewhat = f.name, f.namewhat or "" end
  if name == nil and d.tail then name, namewhat = tailname(f.func) end
  local what = d.c and "C" or f.what
  if V51 then
    if namewhat ~= "" then return head .. " in function '" .. name .. "'" end
    if what == "main" then return head .. " in main chunk" end
    if what == "C" or what == "tail" then return head .. " ?" end
    return head .. " in function <" .. src .. ":" .. f.linedefined .. ">"
  end
  local g = f and romname(f.func)
  local desc
  if g then desc = "function '" .. g .. "'"
  elseif namewhat ~= "" then desc = namewhat .. " '" .. name .. "'"
  elseif what == "main" then desc = "main chunk"
  elseif what ~= "C" then desc = "function <" .. src .. ":" .. f.linedefined .. ">"
  else desc = "?" end
  if not d.c and f.istailcall then desc = desc .. "\\n\\t(...tail calls...)" end
  return head .. " in " .. desc
end

local function lines51(d, level)
  local out, n, first = {}, #d, true
  while level >= 0 and level < n do
    local cur = level
    level = level + 1
    if level > 12 and first then
      if not (level + 10 < n) then level = level - 1
      else
        out[#out + 1] = "\\n\\t..."
        while level + 10 < n do level = level + 1 end
      end
      first = false
    else
      out[#out + 1] = "\\n\\t" .. describe(d[cur + 1])
    end
  end
  return concat(out)
end

local function lines53(d, level)
  local out, n = {}, #d
  local last = n > 0 and n - 1 or 0
  local n1 = (last - level > 21) and 10 or -1
  while level >= 0 and level < n do
    local cur = level
    level = level + 1
    if n1 == 0 then
      out[#out + 1] = "\\n\\t..."
      level = last - 11 + 1
    else
      out[#out + 1] = "\\n\\t" .. describe(d[cur + 1])
    end
    n1 = n1 - 1
  end
  return concat(out)
end

local function traceback(...)
  local count, co, arg = select("#", ...), (...), 0
  if type(co) == "thread" then arg = 1 else co = nil end
  local msg, lv = select(arg + 1, ...)
  local level, head
  if V51 then
    level = tonumber(lv)
    if level then level = level - level % 1 else level = co and 0 or 1 end
    if count <= arg then head = ""
    elseif type(msg) ~= "string" and type(msg) ~= "number" then return msg
    else head = msg .. "\\n" end
  else
    if msg ~= nil and type(msg) ~= "string" and type(msg) ~= "number" then return msg end
    if lv == nil then level = co and 0 or 1
    else
      level = tointeger(tonumber(lv))
      if level == nil then
        if tonumber(lv) then argerror(arg + 2, "number has no integer representation") end
        argerror(arg + 2, "number expected, got " .. typename(lv))
      end
    end
    head = msg ~= nil and (tostring(msg) .. "\\n") or ""
  end
  local d = frames(co, co and 0 or 1)
  return head .. "stack traceback:" .. (V51 and lines51 or lines53)(d, level)
end
cfuncs[traceback] = true
`;

/** debug.getinfo by the device's levels; C function answers for the simulator's functions. */
const GETINFO = `
local CPROBE = select
local function cinfo(fn, what, name, namewhat)
  local t = getinfo(CPROBE, what)
  if t.func ~= nil then t.func = fn end
  if t.namewhat ~= nil and name ~= nil then t.name, t.namewhat = name, namewhat end
  return t
end

local function getinfo2(...)
  local co, arg = (...), 0
  if type(co) == "thread" then arg = 1 else co = nil end
  local target, what = select(arg + 1, ...)
  what = what or (V51 and "flnSu" or "flnStu")
  if not pcall(getinfo, CPROBE, what) then argerror(arg + 2, "invalid option") end
  if type(target) == "function" then
    if simfunc(target) then return cinfo(target, what) end
    return getinfo(target, what)
  end
  local level = tonumber(target)
  if level == nil or (not V51 and level % 1 ~= 0) then
    if V51 then argerror(arg + 1, "function or level expected") end
    argerror(arg + 1, "number expected, got " .. typename(target))
  end
  local d = frames(co, co and 0 or 1)
  local fr = level >= 0 and d[level - level % 1 + 1]
  if not fr then return nil end
  local f = fr.info
  if fr.c then
    if f == nil then return cinfo(nil, what) end
    local name, namewhat = f.name, f.namewhat
    if not fr.named then name = nil elseif name == nil and fr.tail then name, namewhat = tailname(f.func) end
    return cinfo(f.func, what, name, namewhat)
  end
  local t
  if co then t = getinfo(co, f.level, what) else t = getinfo(f.level, what) end
  if not fr.named and t.namewhat ~= nil then t.name, t.namewhat = nil, "" end
  return t
end
cfuncs[getinfo2] = true
`;

/**
 * The Lua source of the C-function emulation, to splice into the driver chunk.
 *
 * @returns Lua source (ASCII) defining `frames`, `cfuncs`, `cerror`, `argerror`, `traceback`,
 *   `getinfo2`, `seal`, `simfunc`, `romname` and the `base`/`entry`/`argshift` variables
 *
 * @example
 * ```ts
 * import { luaCFramesSource } from "./lua_cframes.ts";
 * if (!luaCFramesSource().includes("local function traceback")) throw new Error();
 * ```
 */
export function luaCFramesSource(): string {
  return [FRAMES, ERRORS, TRACEBACK, GETINFO].join("\n");
}
