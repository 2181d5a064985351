import assert from "node:assert/strict";
import { createLuaRepl } from "./lua_repl.ts";

Deno.test("print goes to the output, tab-separated; node.heap() is the configured heap", () => {
  const run = createLuaRepl({ heap: 38000 });
  assert.deepEqual(run('print("a", 1, nil)'), { output: "a\t1\tnil", more: false });
  assert.deepEqual(run("print(node.heap())"), { output: "38000", more: false });
  assert.deepEqual(run("x = 5"), { output: "", more: false });
  assert.deepEqual(run("print(x * 2)"), { output: "10", more: false });
});

Deno.test("'=' shorthand returns values; incomplete chunks ask for more", () => {
  const run = createLuaRepl();
  assert.deepEqual(run("=1+1, 'b'"), { output: "2\tb", more: false });
  assert.deepEqual(run("function f()"), { output: "", more: true });
  assert.deepEqual(run("return 7 end"), { output: "", more: false });
  assert.deepEqual(run("print(f())"), { output: "7", more: false });
});

Deno.test("errors come back as NodeMCU 3.x prints them", () => {
  const run = createLuaRepl();
  assert.match(run("x)").output, /^Lua error: \tstdin:1: /);
  const rt = run('print("before"); nothere()');
  assert.match(rt.output, /^before\nLua error: \tstdin:1: attempt to call a nil value/);
});
