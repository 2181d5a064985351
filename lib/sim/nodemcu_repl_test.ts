import assert from "node:assert/strict";
import { LuaVm } from "./lua_vm.ts";
import { firmwareTraceback, luaHelpers, NodemcuRepl } from "./nodemcu_repl.ts";

function repl(era: "3.x" | "2.x", lua = "5.1.4") {
  let out = "";
  const vm = new LuaVm({ print: (line) => (out += `${line}\n`), instructionLimit: 100_000 });
  const r = new NodemcuRepl({
    vm,
    era,
    lua,
    traced: luaHelpers(vm).traced,
    print: (t) => (out += t),
  });
  return { r, vm, out: () => out, clear: () => (out = "") };
}

Deno.test("repl: `=expr`, several results TAB-joined, a chunk over several lines", () => {
  const t = repl("3.x");
  assert.equal(t.r.run("=1, 'a', nil"), "done");
  assert.equal(t.r.run("function f(x)"), "more");
  assert.equal(t.r.prompt(), ">> ");
  assert.equal(t.r.run("return x * 2"), "more");
  assert.equal(t.r.run("end"), "done");
  assert.equal(t.r.run("=f(21)"), "done");
  assert.equal(t.out(), "1\ta\tnil\n42\n");
  t.r.run("if true then");
  assert.equal(t.r.run("=1"), "done", "`=` only on a chunk's first line: this is an error");
  assert.match(t.out(), /Lua error: \tstdin:2: unexpected symbol near '='\n$/);
  assert.equal(t.r.prompt(), "> ");
});

Deno.test("repl: errors: `Lua error: ` + TAB on 3.x, bare on 2.x; runtime errors carry the traceback", () => {
  const three = repl("3.x", "5.3.5");
  three.r.run("local t = nil; t.x = 1");
  assert.equal(
    three.out(),
    "Lua error: \tstdin:1: attempt to index a nil value (local 't')\nstack traceback:\n" +
      "\tstdin:1: in main chunk\n\t[C]: in ?\n\t[C]: in ?\n",
  );
  const two = repl("2.x");
  two.r.run("error('x')");
  assert.equal(
    two.out(),
    "stdin:1: x\nstack traceback:\n\t[C]: in function 'error'\n\tstdin:1: in main chunk\n",
  );
  two.clear();
  two.r.run("x = = 1");
  assert.equal(
    two.out(),
    "stdin:1: unexpected symbol near '='\n",
    "a compile error has no traceback",
  );
  assert.equal(repl("3.x").r.run("while true do end"), "watchdog");
});

Deno.test("repl: _PROMPT and _PROMPT2 replace the prompts; a 2.x line ends at its first NUL", () => {
  const t = repl("2.x");
  t.r.run("_PROMPT = 'lua> ' _PROMPT2 = '... '");
  assert.equal(t.r.prompt(), "lua> ");
  t.r.run("if true then");
  assert.equal(t.r.prompt(), "... ");
  t.r.run("end");
  t.r.run("print('a')\x00print('b')");
  assert.equal(t.out(), "a\n");
  const three = repl("3.x");
  three.r.run("print('a')\x00");
  assert.match(three.out(), /^Lua error: \tstdin:1: unexpected symbol/, "3.x keeps the NUL");
});

Deno.test("firmwareTraceback: the simulator's own frames go; its wrappers read as C functions", () => {
  const raw =
    "stdin:1: bad\nstack traceback:\n\t[JS]: in function 'error'\n\t[sim]:12: in function 'open'\n" +
    "\tstdin:1: in main chunk\n\t[JS]: in function 'xpcall'\n\t[sim]:3: in function <[sim]:2>";
  assert.equal(
    firmwareTraceback(raw, { era: "3.x", lua: "5.1.4", console: true }),
    "stdin:1: bad\nstack traceback:\n\t[C]: in function 'open'\n\tstdin:1: in main chunk\n\t[C]: ?\n\t[C]: ?",
  );
  assert.equal(
    firmwareTraceback("just text", { era: "3.x", lua: "5.3.5", console: true }),
    "just text",
  );
});
