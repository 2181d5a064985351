import assert from "node:assert/strict";
import { createMemoryLink } from "../transport/memory.ts";
import { ConsoleCapture } from "./console_capture.ts";
import { checkUserProbe, nonceProbe, probeConsole, type ProbeOptions } from "./probe_console.ts";
import { createLuaRepl, type LineEvaluator } from "./testing/lua_repl.ts";
import { ScriptedBoard } from "./testing/scripted_board.ts";
import type { SmokeEvent } from "./smoke_event.ts";

async function probeBoard(
  repl: LineEvaluator | "echo",
  options: Partial<ProbeOptions> = {},
  then: "repl" | "hang" = "repl",
) {
  const board = new ScriptedBoard({
    script: () => ({ steps: [], then }),
    repl,
    running: then === "repl",
  });
  const link = createMemoryLink(board);
  board.attach(link.deliver);
  const sent: string[] = [];
  const capture = new ConsoleCapture(link.transport, {
    onEvent: (e: SmokeEvent) => e.type === "sent" && sent.push(new TextDecoder().decode(e.data)),
  });
  try {
    const outcome = await probeConsole(capture, { timeoutMs: 200, ...options });
    return { outcome, sent, text: capture.text };
  } finally {
    capture.release();
    await link.transport.close();
  }
}

Deno.test("a real Lua prompt passes: fresh prompt, computed nonce answer, heap", async () => {
  const { outcome, sent, text } = await probeBoard(createLuaRepl({ heap: 41234 }), {
    nonce: [1234, 5678],
  });
  assert.equal(outcome.failure, undefined);
  assert.equal(outcome.heap, 41234);
  assert.deepEqual(sent, ["\r\n", 'print("nf".."#"..(1234*5678).."|"..node.heap())\r\n']);
  assert.ok(text.includes("\r\nnf#7006652|41234\r\n> "));
});

Deno.test("a fake that echoes but never evaluates fails the nonce probe", async () => {
  const { outcome } = await probeBoard("echo");
  assert.equal(outcome.failure?.step, "nonce");
  assert.equal(outcome.failure?.reply, "");
  assert.equal(outcome.heap, undefined);
});

Deno.test("a wrong computed answer fails: the nonce is checked exactly", async () => {
  const liar: LineEvaluator = () => ({ output: "nf#7006653|40000", more: false });
  const { outcome } = await probeBoard(liar, { nonce: [1234, 5678] });
  assert.equal(outcome.failure?.step, "nonce");
  assert.equal(outcome.failure?.reply, "nf#7006653|40000");
});

Deno.test("a prompt stuck in a continuation (>>) does not pass", async () => {
  const lua = createLuaRepl();
  lua("for i = 1, 2 do");
  const { outcome } = await probeBoard(lua);
  assert.equal(outcome.failure?.step, "nonce");
});

Deno.test("a prompt that does not answer an empty line fails the first probe", async () => {
  const { outcome, sent } = await probeBoard("echo", { timeoutMs: 30 }, "hang");
  assert.equal(outcome.failure?.step, "empty-line");
  assert.deepEqual(sent, ["\r\n"]);
});

Deno.test("the user probe passes and fails as its pattern says, on the output alone", async () => {
  const pass = await probeBoard(createLuaRepl({ heap: 30000 }), {
    lua: "print(node.heap() > 1000)",
    expect: /^true$/,
  });
  assert.deepEqual(pass.outcome.user, { ok: true, output: "true" });
  assert.equal(pass.outcome.failure, undefined);
  const fail = await probeBoard(createLuaRepl(), { lua: "print(wifi)", expect: /^romtable/ });
  assert.deepEqual(fail.outcome.user, { ok: false, output: "nil" });
  assert.equal(fail.outcome.failure?.step, "user");
  assert.equal(fail.outcome.failure?.reply, "nil");
  // The typed line (echoed back) is not what the pattern sees.
  const echo = await probeBoard(createLuaRepl(), { lua: "x = 'needle'", expect: /needle/ });
  assert.equal(echo.outcome.user?.ok, false);
});

Deno.test("nonce probe: the typed line never contains its own answer", () => {
  for (const [a, b] of [[1000, 1000], [9999, 9999], [1234, 4321]] as const) {
    const p = nonceProbe(a, b);
    assert.doesNotMatch(p.line, p.answer);
    assert.ok(p.line.length < 60);
    assert.match(`nf#${a * b}|123`, p.answer);
    assert.doesNotMatch(`nf#${a * b + 1}|123`, p.answer);
  }
});

Deno.test("user probes are checked before anything is sent", () => {
  checkUserProbe(undefined, undefined);
  assert.throws(() => checkUserProbe("print(1)", undefined), /both/);
  assert.throws(() => checkUserProbe(undefined, /1/), /both/);
  assert.throws(() => checkUserProbe("print(1)\r", /1/), /one line/);
  assert.throws(() => checkUserProbe("x".repeat(251), /1/), /250/);
  assert.throws(
    () => checkUserProbe("  ", /1/),
    (e: unknown) => e instanceof Error && "code" in e && e.code === "smoke/bad-probe",
  );
});
