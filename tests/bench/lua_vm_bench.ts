/**
 * What the simulated board's Lua costs on the host per typed line (the REPL runs one chunk per
 * line; an upload types hundreds), per line that calls a JavaScript module function (the
 * bridge round trip), per new VM (every boot makes one), and for a tight loop (10^6 turns, the
 * watchdog hook running every 1000 instructions), for Lua 5.1 and 5.3. Read the ratios between
 * rows of one run: the machine is shared.
 *
 * `deno bench -A tests/bench/lua_vm_bench.ts`
 *
 * @module
 */

import { LuaVm } from "../../lib/sim/lua_vm.ts";

for (const version of ["5.1", "5.3"] as const) {
  const vm = new LuaVm({ print() {}, version });
  vm.defineModule("file", { writeline: () => true });
  let n = 0;
  Deno.bench(`Lua ${version}: a typed line`, { group: "line", baseline: version === "5.1" }, () => {
    vm.run(`x = ${n++}`, "=stdin");
  });
  Deno.bench(`Lua ${version}: a line calling a module function`, { group: "call" }, () => {
    vm.run(`file.writeline("line ${n++} of the file being uploaded, sixty bytes")`, "=stdin");
  });
  Deno.bench(`Lua ${version}: a new VM`, { group: "new" }, () => {
    new LuaVm({ print() {}, version }).close();
  });
  Deno.bench(`Lua ${version}: 10^6 loop turns`, { group: "loop" }, () => {
    vm.run("for i = 1, 1e6 do end", "=stdin");
  });
}
