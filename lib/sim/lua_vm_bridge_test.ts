/**
 * LuaVm beyond plain chunks: the watchdog, instruction counting, callbacks held by JavaScript,
 * functions JavaScript gives Lua (and their collection), the sealed host.
 */
import assert from "node:assert/strict";
import { type LuaFunctionRef, LuaVm } from "./lua_vm.ts";

const VERSIONS = ["5.1", "5.3"] as const;

function vm(version: "5.1" | "5.3", instructionLimit = 200_000) {
  let counted = 0;
  const v = new LuaVm({
    print() {},
    onInstructions: (n) => (counted += n),
    version,
    instructionLimit,
  });
  return { v, counted: () => counted };
}

Deno.test("LuaVm: the watchdog stops a loop, in pcall or in a coroutine, uncatchably; the VM is done", () => {
  const loops = [
    "while true do end",
    "pcall(function() while true do end end) print('escaped')",
    "local ok = pcall(pcall, error) while true do end",
    "coroutine.wrap(function() while true do end end)()",
    "local co = coroutine.create(function() while true do end end) coroutine.resume(co)",
  ];
  for (const version of VERSIONS) {
    for (const loop of loops) {
      const { v, counted } = vm(version);
      assert.deepEqual(v.run("local x = 0", "=stdin"), { kind: "ok", results: [] });
      assert.deepEqual(v.run(loop, "=stdin"), { kind: "watchdog" }, `${version}: ${loop}`);
      assert.ok(counted() > 200_000 && counted() <= 202_000, `${counted()}`);
      assert.throws(() => v.run("return 1", "=stdin"), /watchdog stopped this VM/);
      assert.throws(() => v.globalString("_PROMPT"), /watchdog stopped this VM/);
      v.close();
    }
  }
});

Deno.test("LuaVm: instructions are counted per chunk, in steps of 1000", () => {
  for (const version of VERSIONS) {
    const { v, counted } = vm(version, 10_000_000);
    // A numeric for loop is one FORLOOP instruction per turn in both versions.
    v.run("for i = 1, 100000 do end", "=stdin");
    const first = counted();
    assert.ok(first >= 99_000 && first <= 102_000, `${version}: ${first}`);
    assert.equal(first % 1000, 0);
    v.run("for i = 1, 300000 do end", "=stdin");
    assert.ok(counted() - first >= 299_000 && counted() - first <= 302_000);
    v.run("for i = 1, 9000000 do end", "=stdin");
    assert.ok(v.run("return 1", "=stdin").kind === "ok", "the limit is per chunk");
    v.close();
  }
});

Deno.test("LuaVm: a callback kept by JavaScript is called later, given back, and released", () => {
  for (const version of VERSIONS) {
    const { v } = vm(version);
    const kept: LuaFunctionRef[] = [];
    v.defineModule("uart", {
      on: (_event, fn) => (kept.push(fn as LuaFunctionRef), undefined),
      same: (a, b) => a === b || (a as LuaFunctionRef).id === (b as LuaFunctionRef).id,
      back: () => kept[0],
    });
    v.run("got = {} function cb(data, n) got[#got + 1] = data .. n return #got, 'ok' end", "=s");
    v.run("uart.on('data', cb) uart.on('data', function() error('inner', 0) end)", "=s");
    assert.equal(kept.length, 2);
    assert.deepEqual(v.call(kept[0]!, "abc", 1), { kind: "ok", results: ["1", "ok"] });
    assert.deepEqual(v.call(kept[0]!, "\x00\xff", 2), { kind: "ok", results: ["2", "ok"] });
    assert.deepEqual(v.run("return got[2] == '\\0\\255' .. 2, uart.back() == cb", "=s"), {
      kind: "ok",
      results: ["true", "true"],
    });
    // Each handle counts: the same function twice is one id, held until both are released.
    assert.deepEqual(v.run("return uart.same(print, print)", "=s"), {
      kind: "ok",
      results: ["true"],
    });
    assert.deepEqual(v.call(kept[1]!), { kind: "error", message: "inner" });
    v.release(kept[0]!);
    v.release(kept[0]!);
    assert.deepEqual(v.call(kept[0]!, "x", 3), {
      kind: "error",
      message: "attempt to call a released function",
    });
    assert.deepEqual(v.run("return #got", "=s"), { kind: "ok", results: ["2"] });
    v.close();
  }
});

Deno.test("LuaVm: load compiles without running; call runs the chunk under the watchdog", () => {
  for (const version of VERSIONS) {
    const { v } = vm(version);
    const loaded = v.load("n = (n or 0) + 1 return n, ...", "@counter.lua");
    assert.equal(loaded.kind, "ok");
    if (loaded.kind !== "ok") continue;
    assert.deepEqual(v.run("return n", "=s"), { kind: "ok", results: ["nil"] });
    const first = v.call(loaded.fn, "a", undefined, true, { lua: "table", items: [1] });
    assert.equal(first.kind, "ok");
    const results = first.kind === "ok" ? first.results : [];
    assert.deepEqual(results.slice(0, 4), ["1", "a", "nil", "true"]);
    assert.match(results[4] ?? "", /^table: /);
    assert.deepEqual(v.call(loaded.fn), { kind: "ok", results: ["2"] });
    const spin = v.load("while true do end", "=spin");
    assert.equal(spin.kind, "ok");
    if (spin.kind === "ok") assert.deepEqual(v.call(spin.fn), { kind: "watchdog" });
    v.close();
  }
});

Deno.test("LuaVm: a watchdog inside a callback JavaScript calls from a Lua call stops the whole chunk", () => {
  for (const version of VERSIONS) {
    const { v } = vm(version);
    let inner: unknown;
    v.defineModule("m", {
      now: (fn) => (inner = v.call(fn as LuaFunctionRef), "returned"),
    });
    assert.deepEqual(
      v.run("pcall(m.now, function() while true do end end) print('escaped') return 1", "=s"),
      { kind: "watchdog" },
    );
    assert.deepEqual(inner, { kind: "watchdog" });
    v.close();
  }
});

Deno.test("LuaVm: JavaScript functions in tables Lua creates again and again are collected", () => {
  for (const version of VERSIONS) {
    const { v } = vm(version, 1e9);
    let opened = 0;
    v.defineModule("file", {
      open: () => {
        opened++;
        return { lua: "table", fields: { read: () => "data", close: () => undefined } };
      },
    });
    const held = v.heldFunctions;
    v.run("for i = 1, 3000 do local f = file.open() f.read() f.close() end", "=s");
    v.run("collectgarbage() collectgarbage()", "=s");
    assert.equal(opened, 3000);
    assert.ok(v.heldFunctions < held + 200, `${v.heldFunctions} functions still held`);
    v.close();
  }
});

Deno.test("LuaVm: the host stays out of reach; memory is bounded and a runaway allocation fails in Lua", () => {
  for (const version of VERSIONS) {
    const { v } = vm(version, 1e9);
    const names = "io os require package loadfile dofile debug.sethook debug.gethook";
    assert.deepEqual(
      v.run(`return ${names.split(" ").map((n) => `type(${n})`).join(", ")}`, "=s"),
      { kind: "ok", results: names.split(" ").map(() => "nil") },
    );
    const bomb = v.run("local t = {} for i = 1, 1e6 do t[i] = ('x'):rep(1e5) .. i end", "=s");
    assert.deepEqual(bomb, { kind: "error", message: "not enough memory" });
    assert.deepEqual(v.run("collectgarbage() return 1 + 1", "=s"), { kind: "ok", results: ["2"] });
    v.close();
    assert.throws(() => v.run("return 1", "=s"), /closed/);
  }
});

Deno.test("LuaVm: coroutines under the watchdog still work and fail in their own words", () => {
  const words = { "5.1": "Lua function expected", "5.3": "function expected, got nil" };
  for (const version of VERSIONS) {
    const { v } = vm(version);
    assert.deepEqual(v.run("coroutine.create(nil)", "=stdin"), {
      kind: "error",
      message: `stdin:1: bad argument #1 to 'create' (${words[version]})`,
    });
    assert.deepEqual(v.run("coroutine.wrap(function() error('x') end)()", "=stdin"), {
      kind: "error",
      message: "stdin:1: stdin:1: x",
    });
    const pingPong = "local co = coroutine.wrap(function(a) local b = coroutine.yield(a + 1) " +
      "return b * 2 end) return co(1), co(5), coroutine.status(coroutine.create(function() end))";
    assert.deepEqual(v.run(pingPong, "=stdin"), { kind: "ok", results: ["2", "10", "suspended"] });
    v.close();
  }
});
