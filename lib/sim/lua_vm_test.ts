import assert from "node:assert/strict";
import { bytesOf, type LuaValue, LuaVm, textOf } from "./lua_vm.ts";

const VERSIONS = ["5.1", "5.3"] as const;
const ALL_BYTES = textOf(Uint8Array.from({ length: 256 }, (_, i) => i));

function vm(version: "5.1" | "5.3", options: { instructionLimit?: number } = {}) {
  const printed: string[] = [];
  let counted = 0;
  const v = new LuaVm({
    print: (line) => printed.push(line),
    onInstructions: (n) => (counted += n),
    version,
    ...options,
  });
  return { v, printed, counted: () => counted };
}

const ok = (...results: string[]) => ({ kind: "ok", results });

Deno.test("LuaVm: print joins with TAB as each version's tostring does; results come back as text", () => {
  for (const version of VERSIONS) {
    const { v, printed } = vm(version);
    assert.deepEqual(
      v.run("print(1, 2.5, nil, true, 'x', 1e100) return 10/4, 10/2, 'y'", "=stdin"),
      ok("2.5", version === "5.1" ? "5" : "5.0", "y"),
    );
    assert.deepEqual(printed, ["1\t2.5\tnil\ttrue\tx\t1e+100"]);
    const table = v.run("return {}", "=stdin");
    assert.match(table.kind === "ok" ? table.results[0]! : "", /^table: /);
    assert.equal(v.version, version);
    v.close();
  }
  const d = new LuaVm({ print() {} });
  assert.equal(d.version, "5.3", "5.3 unless asked");
  d.close();
});

Deno.test("LuaVm: Lua 5.1 is Lua 5.1: no // or goto, unpack/loadstring/setfenv/module/table.getn exist", () => {
  const { v } = vm("5.1");
  assert.deepEqual(v.run("return _VERSION", "=stdin"), ok("Lua 5.1"));
  assert.deepEqual(v.run("return 7 // 2", "=stdin"), {
    kind: "error",
    message: "stdin:1: unexpected symbol near '/'",
  });
  assert.deepEqual(v.run("goto done", "=stdin"), {
    kind: "error",
    message: "stdin:1: '=' expected near 'done'",
  });
  const present = "unpack loadstring setfenv getfenv module table.getn math.mod newproxy gcinfo";
  assert.deepEqual(
    v.run(`return ${present.split(" ").map((f) => `type(${f})`).join(", ")}`, "=stdin"),
    ok(...present.split(" ").map(() => "function")),
  );
  assert.deepEqual(v.run("return math.type, utf8, table.unpack, 2^53, -7 % 3", "=stdin"), {
    kind: "ok",
    results: ["nil", "nil", "nil", "9.007199254741e+15", "2"],
  });
  assert.deepEqual(
    v.run("return ('%d'):format(3.7), #'a\\0b', ('x'):rep(3, ','), tostring(1e15)", "=stdin"),
    ok("3", "3", "xxx", "1e+15"),
    "5.1's format truncates, string.rep has no separator",
  );
  assert.deepEqual(v.run("return table.getn({1, 2, 3}), math.mod(7, 3)", "=stdin"), ok("3", "1"));
  v.close();
});

Deno.test("LuaVm: Lua 5.3 is Lua 5.3: integers, //, goto, utf8; no unpack or loadstring", () => {
  const { v } = vm("5.3");
  assert.deepEqual(
    v.run("goto skip do return 0 end ::skip:: return 7 // 2, 7.0 // 2, math.type(1), 3 | 4", "=s"),
    ok("3", "3.0", "integer", "7"),
  );
  assert.deepEqual(
    v.run("return unpack, loadstring, setfenv, table.getn, type(utf8), math.maxinteger", "=s"),
    ok("nil", "nil", "nil", "nil", "table", "9223372036854775807"),
  );
  assert.deepEqual(v.run("return ('%d'):format(3.7)", "=stdin"), {
    kind: "error",
    message: "stdin:1: bad argument #1 to 'format' (number has no integer representation)",
  });
  v.close();
});

Deno.test("LuaVm: errors are worded as each version words them; an open block asks for more", () => {
  const words = {
    "5.1": ["init.lua:1: attempt to call global 'nothere' (a nil value)", "nil"],
    "5.3": ["init.lua:1: attempt to call a nil value (global 'nothere')", "nil"],
  };
  for (const version of VERSIONS) {
    const { v } = vm(version);
    assert.deepEqual(v.run("x = = 1", "=stdin"), {
      kind: "error",
      message: "stdin:1: unexpected symbol near '='",
    });
    assert.deepEqual(v.run("nothere()", "@init.lua"), {
      kind: "error",
      message: words[version][0],
    });
    assert.deepEqual(v.run("error()", "=stdin"), { kind: "error", message: words[version][1] });
    assert.deepEqual(v.run("error('x', 0)", "=stdin"), { kind: "error", message: "x" });
    assert.match(JSON.stringify(v.run("error({})", "=stdin")), /"message":"table: /);
    assert.deepEqual(v.run("function f()", "=stdin"), { kind: "incomplete" });
    assert.deepEqual(v.run("x = [[", "=stdin"), { kind: "incomplete" });
    assert.deepEqual(v.load("for i = 1, 2 do", "=stdin"), {
      kind: "incomplete",
      message: version === "5.1"
        ? "stdin:1: 'end' expected near '<eof>'"
        : "stdin:1: 'end' expected near <eof>",
    });
    assert.deepEqual(v.load("x = = 1", "=stdin"), {
      kind: "error",
      message: "stdin:1: unexpected symbol near '='",
    });
    v.close();
  }
});

Deno.test("LuaVm: every byte value crosses both ways; string.dump output runs as a binary chunk", () => {
  for (const version of VERSIONS) {
    const { v } = vm(version);
    const seen: LuaValue[] = [];
    v.defineModule("m", {
      take: (...args) => (seen.push(...args), undefined),
      give: () => ALL_BYTES,
    });
    v.setGlobal("raw", ALL_BYTES);
    assert.deepEqual(
      v.run("local s = 0 for i = 1, #raw do s = s + raw:byte(i) * i end return #raw, s", "=b"),
      ok("256", String(Array.from({ length: 256 }, (_, i) => i * (i + 1)).reduce((a, b) => a + b))),
    );
    assert.deepEqual(v.run("m.take(raw, m.give() == raw) return raw", "=b"), ok(ALL_BYTES));
    assert.deepEqual(seen, [ALL_BYTES, true]);
    assert.deepEqual(bytesOf(seen[0] as string), Uint8Array.from({ length: 256 }, (_, i) => i));
    seen.length = 0;
    assert.deepEqual(
      v.run("return (loadstring or load)(string.dump(function(a) return a * 2 end))(21)", "=d"),
      ok("42"),
    );
    v.run(
      "m.take(string.dump(function(...) print('dumped', select('#', ...)) return 6 * 7 end))",
      "=d",
    );
    const chunk = seen[0] as string;
    assert.equal(chunk.slice(0, 4), "\x1bLua");
    const printed: string[] = [];
    const other = new LuaVm({ print: (line) => printed.push(line), version });
    assert.deepEqual(other.run(chunk, "=x.lc"), ok("42"));
    assert.deepEqual(printed, ["dumped\t0"]);
    other.close();
    v.close();
  }
});

Deno.test("LuaVm: a binary chunk of the other version is refused as each version refuses it", () => {
  const dumps: Record<string, string> = {};
  for (const version of VERSIONS) {
    const { v } = vm(version);
    v.defineModule("m", { take: (s) => (dumps[version] = s as string, undefined) });
    v.run("m.take(string.dump(function() end))", "=d");
    v.close();
  }
  const v51 = vm("5.1").v;
  const from53 = v51.run(dumps["5.3"]!, "=x.lc");
  assert.equal(from53.kind, "error");
  assert.match(from53.kind === "error" ? from53.message : "", /bad header in precompiled chunk/);
  const v53 = vm("5.3").v;
  const from51 = v53.run(dumps["5.1"]!, "=x.lc");
  assert.match(from51.kind === "error" ? from51.message : "", /version mismatch/);
  v51.close();
  v53.close();
});
