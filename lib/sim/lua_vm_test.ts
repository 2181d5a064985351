import assert from "node:assert/strict";
import { bytesOf, type LuaFunctionRef, type LuaValue, LuaVm, textOf } from "./lua_vm.ts";

function vm(options: { instructionLimit?: number } = {}) {
  const printed: string[] = [];
  let counted = 0;
  const v = new LuaVm({
    print: (line) => printed.push(line),
    onInstructions: (n) => (counted += n),
    ...options,
  });
  return { v, printed, counted: () => counted };
}

Deno.test("LuaVm: print joins with TAB as Lua's tostring does; results come back as text", () => {
  const { v, printed } = vm();
  assert.deepEqual(v.run("print(1, 2.5, nil, true, 'x', 7//2, 1e100) return 10/4, 'y'", "=stdin"), {
    kind: "ok",
    results: ["2.5", "y"],
  });
  assert.deepEqual(printed, ["1\t2.5\tnil\ttrue\tx\t3\t1e+100"]);
  const table = v.run("return {}", "=stdin");
  assert.match(table.kind === "ok" ? table.results[0]! : "", /^table: /);
});

Deno.test("LuaVm: syntax and runtime errors carry the chunk name; an open block asks for more", () => {
  const { v } = vm();
  assert.deepEqual(v.run("x = = 1", "=stdin"), {
    kind: "error",
    message: "stdin:1: unexpected symbol near '='",
  });
  assert.deepEqual(v.run("nothere()", "@init.lua"), {
    kind: "error",
    message: "init.lua:1: attempt to call a nil value (global 'nothere')",
  });
  assert.deepEqual(v.run("function f()", "=stdin"), { kind: "incomplete" });
  assert.deepEqual(v.run("error({})", "=stdin").kind, "error");
});

Deno.test("LuaVm: the watchdog stops runaway code, even inside pcall, and counts instructions", () => {
  const { v, counted } = vm({ instructionLimit: 100_000 });
  assert.deepEqual(v.run("while true do end", "=stdin"), { kind: "watchdog" });
  assert.deepEqual(v.run("pcall(function() while true do end end) print('escaped')", "=stdin"), {
    kind: "watchdog",
  });
  assert.ok(counted() > 200_000);
  assert.deepEqual(v.run("return 1", "=stdin"), { kind: "ok", results: ["1"] }, "usable again");
});

Deno.test("LuaVm: no host access; JavaScript modules get and return Lua values; bytes survive", () => {
  const { v, printed } = vm();
  assert.deepEqual(v.run("return type(io), type(os), type(require), type(dofile)", "=stdin"), {
    kind: "ok",
    results: ["nil", "nil", "nil", "nil"],
  });
  const seen: unknown[] = [];
  v.defineModule("m", {
    f: (
      ...args
    ) => (seen.push(...args), [args.length, { lua: "table", fields: { k: "v" }, items: [1, 2] }]),
  });
  assert.deepEqual(
    v.run("local n, t = m.f(1, 'a', nil, false) return n, t.k, #t, t[2]", "=stdin"),
    {
      kind: "ok",
      results: ["4", "v", "2", "2"],
    },
  );
  assert.deepEqual(seen, [1, "a", undefined, false]);
  v.setGlobal("raw", textOf(new Uint8Array([0, 0xff, 0x80])));
  assert.deepEqual(v.run("return #raw, raw:byte(2)", "=stdin"), {
    kind: "ok",
    results: ["3", "255"],
  });
  v.run("print(raw)", "=stdin");
  assert.deepEqual(bytesOf(printed.at(-1)!), new Uint8Array([0, 0xff, 0x80]));
  v.defineModule("bad", {
    boom: () => {
      throw new Error("no way");
    },
  });
  assert.deepEqual(v.run("bad.boom()", "=stdin"), { kind: "error", message: "stdin:1: no way" });
  v.setGlobal("_PROMPT", "$ ");
  assert.equal(v.globalString("_PROMPT"), "$ ");
  assert.equal(v.globalString("_PROMPT2"), undefined);
});

Deno.test("LuaVm: load and call keep a Lua function in JavaScript; function arguments arrive as refs", () => {
  const { v, printed } = vm({ instructionLimit: 100_000 });
  const loaded = v.load("local a, b = ... print('got', a, b) return a + b", "=chunk");
  assert.equal(loaded.kind, "ok");
  if (loaded.kind !== "ok") return;
  assert.deepEqual(v.call(loaded.fn, 2, 3), { kind: "ok", results: ["5"] });
  assert.deepEqual(printed, ["got\t2\t3"]);
  assert.deepEqual(v.load("if x then", "=chunk"), { kind: "incomplete" });
  assert.deepEqual(v.load("x = = 1", "=chunk"), {
    kind: "error",
    message: "chunk:1: unexpected symbol near '='",
  });
  let held: LuaValue;
  v.setGlobal("keep", (fn) => ((held = fn), undefined));
  v.run("local n = 0 keep(function(k) n = n + k return n end)", "=stdin");
  assert.equal(typeof held, "object");
  const fn = held as LuaFunctionRef;
  assert.equal(fn.luaType, "function");
  assert.deepEqual(v.call(fn, 4), { kind: "ok", results: ["4"] });
  assert.deepEqual(
    v.call(fn, 5),
    { kind: "ok", results: ["9"] },
    "the same closure, its upvalue kept",
  );
  // Passing it back to Lua pushes the same function.
  v.setGlobal("give", () => fn);
  assert.deepEqual(v.run("return give()(1)", "=stdin"), { kind: "ok", results: ["10"] });
  assert.deepEqual(v.call(fn, "x").kind, "error");
  const spin = v.load("while true do end", "=spin");
  assert.deepEqual(spin.kind === "ok" ? v.call(spin.fn) : spin, { kind: "watchdog" });
  v.release(fn);
  assert.deepEqual(v.call(loaded.fn, 1, 1), { kind: "ok", results: ["2"] }, "others unaffected");
  v.close();
});
