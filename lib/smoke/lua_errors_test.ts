import assert from "node:assert/strict";
import { findLuaErrors } from "./lua_errors.ts";

Deno.test("Lua errors at boot: 2.x's `lua: ` report with its traceback (JanGoe/esp8266-wifi-relay#38)", () => {
  const text = " powered by Lua 5.1.4 on SDK 1.4.0\r\n" +
    "lua: init.lua:2: attempt to index global 'pwm' (a nil value)\r\n" +
    "stack traceback:\r\n\tinit.lua:2: in main chunk\r\n\t[C]: ?\r\n> ";
  assert.deepEqual(findLuaErrors(text), [{
    at: text.indexOf("lua: init"),
    message: "init.lua:2: attempt to index global 'pwm' (a nil value)",
    form: "lua",
    traceback: true,
  }]);
});

Deno.test("Lua errors at boot: a compile error (nodemcu#2443), 3.x's bare forms, a callback's after a prompt", () => {
  assert.deepEqual(findLuaErrors("lua: init.lua:1: unexpected symbol near 'x'\r\n> "), [{
    at: 0,
    message: "init.lua:1: unexpected symbol near 'x'",
    form: "lua",
    traceback: false,
  }]);
  const three = "cannot open init.lua: \r\n" +
    "init.lua:1: '=' expected near 'x'\r\n" +
    "> main.lua:3: boom\r\nstack traceback:\r\n\t[C]: in function 'error'\r\n\tmain.lua:3: in function <main.lua:1>\r\n";
  assert.deepEqual(findLuaErrors(three).map((e) => [e.message, e.form, e.traceback]), [
    ["init.lua:1: '=' expected near 'x'", "bare", false],
    ["main.lua:3: boom", "bare", true],
  ]);
});

Deno.test("Lua errors at boot: a missing init.lua, console errors and PANICs are not reported here", () => {
  const text = "lua: cannot open init.lua\r\ncannot open init.lua: \r\n" +
    "> x\r\nLua error: \tstdin:1: oops\r\nstack traceback:\r\n\tstdin:1: in main chunk\r\n" +
    "PANIC: unprotected error in call to Lua API (init.lua:4: x)\r\n";
  assert.deepEqual(findLuaErrors(text), []);
});
