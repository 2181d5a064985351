import assert from "node:assert/strict";
import { LuaArgError, LuaRawError, LuaVm } from "./lua_vm.ts";
import { type LuaVersion, openLuaWasm } from "./lua_wasm.ts";
import { textOf } from "./lua_values.ts";

const VERSIONS: LuaVersion[] = ["5.1", "5.3"];

/** A script's value from the reference interpreter, with its own debug library. */
function reference(version: LuaVersion, source: string): string {
  let out = "";
  const lua = openLuaWasm(version, {
    input: () => null,
    output: (b) => (out += String.fromCharCode(b)),
    error() {},
    clock() {},
  });
  try {
    // named `=stdin`, as the simulator's run names it
    assert.equal(lua.loadAscii(`return (loadstring or load)([==[\n${source}]==], "=stdin")()`), 0);
    assert.equal(lua.pcall(0, 1), 0, textOf(lua.bytesAt(-1) ?? new Uint8Array()));
    return textOf(lua.bytesAt(-1) ?? new Uint8Array());
  } finally {
    lua.close();
  }
}

// A coroutine 30 calls deep, suspended: its traceback holds only its own frames, the same in the
// reference interpreter and in the simulator (whatever runs the script), names, `...` and all.
const DEEP = `
function deep(n) if n == 0 then coroutine.yield() else deep(n - 1) end end
local named = { go = function(n) deep(n) end }
local co = coroutine.create(function(n) local t = { f = function(m) named.go(m) end } t.f(n) end)
coroutine.resume(co, 30)
local short = coroutine.create(function() local function inner() coroutine.yield() end inner() end)
coroutine.resume(short)
return debug.traceback(co, "deep") .. "\\n--\\n" .. debug.traceback(short, "short", 1)`;

Deno.test("debug.traceback of a script's stack is the reference interpreter's, long stacks cut the same way", () => {
  for (const version of VERSIONS) {
    const vm = new LuaVm({ print() {}, version });
    vm.runHost("local B = ... B.seal()");
    const ours = vm.run(DEEP, "=stdin");
    assert.deepEqual(ours, { kind: "ok", results: [reference(version, DEEP)] }, version);
    assert.match(ours.kind === "ok" ? ours.results[0]! : "", /\n\t\.\.\.\n/, "cut in the middle");
    vm.close();
  }
});

Deno.test("simulator code raises as C functions do: luaL_error, luaL_argerror (argshift), lua_error", () => {
  for (const version of VERSIONS) {
    const vm = new LuaVm({ print() {}, version });
    vm.setGlobal("__js", {
      lua: "table",
      fields: {
        arg: (x) => {
          if (typeof x !== "number") throw new LuaArgError(1, "number expected");
          return x;
        },
        raw: () => {
          throw new LuaRawError("cannot open x");
        },
      },
    });
    vm.runHost(`local B = ...
      local js = __js
      __js = nil
      obj = {}
      function obj:twice(x) B.argshift(1) local v = js.arg(x) return v * 2 end
      function obj.check(x) if x ~= "ok" then B.cerror("not ok") end return x end
      function obj.raw() local v = js.raw() return v end
      function obj:self() B.argerror(1, "wrong") end
      function obj.bad(n) B.argerror(n, "wrong") end
      B.seal()`);
    const run = (line: string) => {
      const r = vm.run(`local ok, e = pcall(function()\n${line}\nend) return e`, "=stdin");
      return r.kind === "ok" ? r.results[0] : JSON.stringify(r);
    };
    assert.equal(run("obj:twice('x')"), "stdin:2: bad argument #1 to 'twice' (number expected)");
    assert.equal(
      run("obj.twice(obj, 'x')"),
      "stdin:2: bad argument #2 to 'twice' (number expected)",
    );
    assert.equal(run("obj:self()"), "stdin:2: calling 'self' on bad self (wrong)");
    assert.equal(run("obj.check('no')"), "stdin:2: not ok");
    assert.equal(run("obj.raw()"), "cannot open x");
    // Called by pcall (C), no name from code: 5.1 '?', NodeMCU 5.3 looks in its ROM tables.
    const r = vm.run("return select(2, pcall(obj.bad, 3))", "=stdin");
    assert.deepEqual(r, {
      kind: "ok",
      results: [`bad argument #3 to '${version === "5.1" ? "?" : "obj.bad"}' (wrong)`],
    });
    const info = vm.run(
      "return debug.getinfo(obj.check, 'S').what, debug.getinfo(1, 'l').currentline",
      "=stdin",
    );
    assert.deepEqual(info, { kind: "ok", results: ["C", "1"] });
    vm.close();
  }
});

Deno.test("the C frames below an entry, and a tail call into simulator code named through the globals", () => {
  for (const version of VERSIONS) {
    const vm = new LuaVm({ print() {}, version });
    vm.runHost("local B = ... function hostf(x) B.argerror(1, 'no') end B.seal()");
    const f = vm.load("return debug.traceback('t')", "=stdin");
    assert.equal(f.kind, "ok");
    const below = version === "5.1" ? "\n\t[C]: ?\n\t[C]: ?" : "\n\t[C]: in ?\n\t[C]: in ?";
    // A tail call into the bridge's traceback loses the chunk's frame (documented), not the base.
    assert.deepEqual(
      f.kind === "ok" && vm.callWith(f.fn, [], { below: 2 }),
      { kind: "ok", results: [`t\nstack traceback:${below}`] },
    );
    const g = vm.load("local s = debug.traceback('t') return s", "=stdin");
    assert.deepEqual(
      g.kind === "ok" && vm.callWith(g.fn, [], { below: 2 }),
      { kind: "ok", results: [`t\nstack traceback:\n\tstdin:1: in main chunk${below}`] },
    );
    assert.deepEqual(vm.run("return hostf()", "=stdin"), {
      kind: "error",
      message: "bad argument #1 to 'hostf' (no)",
    });
    vm.close();
  }
});
