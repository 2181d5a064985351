import assert from "node:assert/strict";
import { LuaVm } from "./lua_vm.ts";
import type { LuaFrontEnd } from "./nodemcu_front_end.ts";
import { luaMainHelpers } from "./nodemcu_lua_main.ts";
import { NodemcuRepl } from "./nodemcu_repl.ts";

const CURRENT: LuaFrontEnd = { console: "pipe", callbackErrors: "onerror" };
const JUNE_2020: LuaFrontEnd = { console: "pipe", callbackErrors: "panic" };
const READLINE: LuaFrontEnd = { console: "readline", callbackErrors: "panic" };

function repl(frontEnd: LuaFrontEnd, version: "5.1" | "5.3" = "5.1") {
  let out = "";
  const vm = new LuaVm({
    print: (line) => (out += `${line}\n`),
    instructionLimit: 100_000,
    version,
  });
  vm.runHost("local B = ... B.seal()");
  const { console } = luaMainHelpers(vm, frontEnd);
  const r = new NodemcuRepl({ vm, frontEnd, console, print: (t) => (out += t) });
  return { r, vm, out: () => out, clear: () => (out = "") };
}

Deno.test("repl: `=expr`, several results TAB-joined, a chunk over several lines", () => {
  const t = repl(CURRENT);
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

Deno.test("repl: errors as each front end prints them; runtime errors carry the traceback", () => {
  const current = repl(CURRENT, "5.3");
  current.r.run("local t = nil; t.x = 1");
  assert.equal(
    current.out(),
    "Lua error: \tstdin:1: attempt to index a nil value (local 't')\nstack traceback:\n" +
      "\tstdin:1: in main chunk\n\t[C]: in ?\n\t[C]: in ?\n",
  );
  const june = repl(JUNE_2020);
  june.r.run("error('x')");
  assert.equal(
    june.out(),
    "Lua error: stdin:1: x\nstack traceback:\n\t[C]: in function 'error'\n" +
      "\tstdin:1: in main chunk\n\t[C]: ?\n\t[C]: ?\n",
    "3.0-master_20200610: no TAB yet",
  );
  const old = repl(READLINE);
  old.r.run("error('x')");
  assert.equal(
    old.out(),
    "stdin:1: x\nstack traceback:\n\t[C]: in function 'error'\n\tstdin:1: in main chunk\n",
    "readline: lua.c's dojob was called from C, nothing below the chunk",
  );
  old.clear();
  old.r.run("x = = 1");
  assert.equal(
    old.out(),
    "stdin:1: unexpected symbol near '='\n",
    "no traceback for a compile error",
  );
  assert.equal(repl(CURRENT).r.run("while true do end"), "watchdog");
});

Deno.test("repl: error objects that are not strings, per front end", () => {
  const cases: [LuaFrontEnd, string, string][] = [
    [CURRENT, "error({})", "^Lua error: \ttable: 0x[0-9a-f]+\n$"],
    [CURRENT, "error()", "^nil\n$"],
    [JUNE_2020, "error({})", "^Lua error: \\(null\\)\n$"],
    [JUNE_2020, "error()", "^$"],
    [READLINE, "error({})", "^\\(error object is not a string\\)\n$"],
    [READLINE, "error()", "^$"],
  ];
  for (const [frontEnd, line, pattern] of cases) {
    const t = repl(frontEnd);
    t.r.run(line);
    assert.match(t.out(), new RegExp(pattern), `${JSON.stringify(frontEnd)} ${line}`);
  }
});

Deno.test("repl: _PROMPT and _PROMPT2 replace the prompts; a readline line ends at its first NUL", () => {
  const t = repl(READLINE);
  t.r.run("_PROMPT = 'lua> ' _PROMPT2 = '... '");
  assert.equal(t.r.prompt(), "lua> ");
  t.r.run("if true then");
  assert.equal(t.r.prompt(), "... ");
  t.r.run("end");
  t.r.run("print('a')\x00print('b')");
  assert.equal(t.out(), "a\n");
  const current = repl(CURRENT);
  current.r.run("print('a')\x00");
  assert.match(current.out(), /^Lua error: \tstdin:1: unexpected symbol/, "the pipe keeps the NUL");
});
