/**
 * Probing the Lua prompt of a simulated board: the simulator's NodeMCU (a real Lua VM behind
 * NodeMCU's console rules), or a replayed console that echoes without running Lua or that
 * ignores its input (lib/sim/replay_firmware.ts).
 */

import assert from "node:assert/strict";
import type { ReplayScript } from "../sim/replay_firmware.ts";
import { replayBoard } from "../../tests/support/replay_board.ts";
import { ConsoleCapture } from "./console_capture.ts";
import { checkUserProbe, nonceProbe, probeConsole, type ProbeOptions } from "./probe_console.ts";
import type { SmokeEvent } from "./smoke_event.ts";
import { BANNERS } from "./testing/transcripts.ts";

/** A console that echoes what is typed but runs no Lua, or one that ignores it. */
const replayed = (then: "echo" | "deaf"): ReplayScript => () => ({
  // after the power-up boot's console switch, as NodeMCU: the link is attached by then
  steps: [{ delayMs: 150, rate: "console", text: BANNERS[4]!.console }],
  then,
});

/** Types a line at the prompt and waits for the next prompt. */
async function typeLine(capture: ConsoleCapture, line: string): Promise<void> {
  const before = capture.length;
  await capture.send(`${line}\r\n`);
  const until = performance.now() + 10_000;
  while (!/>>? $/.test(capture.text.slice(before))) {
    assert.ok(
      performance.now() < until && await capture.read(200) !== "ended",
      `no prompt after ${line}: ${JSON.stringify(capture.text.slice(before))}`,
    );
  }
}

/**
 * Probes a board that runs (and has booted, at power-up) the simulator's NodeMCU, or a
 * replayed console; `prepare` types at its prompt first.
 */
async function probeBoard(
  board: "nodemcu" | ReplayScript,
  options: Partial<ProbeOptions> = {},
  prepare: string[] = [],
) {
  const peers = replayBoard(board === "nodemcu" ? {} : { replay: board });
  const sent: string[] = [];
  let recording = false;
  const capture = new ConsoleCapture(peers.link.transport, {
    onEvent: (e: SmokeEvent) =>
      recording && e.type === "sent" && sent.push(new TextDecoder().decode(e.data)),
  });
  try {
    await peers.board.idle();
    const until = performance.now() + 10_000;
    while (!capture.text.endsWith("> ")) {
      assert.ok(performance.now() < until && await capture.read(200) !== "ended", "no prompt");
    }
    for (const line of prepare) await typeLine(capture, line);
    recording = true;
    const from = capture.length;
    const outcome = await probeConsole(capture, { timeoutMs: 1000, ...options });
    return { outcome, sent, text: capture.text.slice(from) };
  } finally {
    capture.release();
    await peers.close();
  }
}

Deno.test("a real Lua prompt passes: fresh prompt, computed nonce answer, heap", async () => {
  const { outcome, sent, text } = await probeBoard("nodemcu", { nonce: [1234, 5678] });
  assert.equal(outcome.failure, undefined);
  assert.ok(outcome.heap !== undefined && outcome.heap > 30_000, `heap ${outcome.heap}`);
  assert.deepEqual(sent, ["\r\n", 'print("nf".."#"..(1234*5678).."|"..node.heap())\r\n']);
  assert.ok(text.includes(`\r\nnf#7006652|${outcome.heap}\r\n> `));
});

Deno.test("a console that echoes but never evaluates fails the nonce probe", async () => {
  const { outcome } = await probeBoard(replayed("echo"));
  assert.equal(outcome.failure?.step, "nonce");
  assert.equal(outcome.failure?.reply, "");
  assert.equal(outcome.heap, undefined);
});

Deno.test("a wrong computed answer fails: the nonce is checked exactly", async () => {
  // Lua on the board whose print changes the product: the answer is checked, not its shape.
  const liar =
    'local p = print; print = function(s) p((tostring(s):gsub("7006652", "7006653"))) end';
  const { outcome } = await probeBoard("nodemcu", { nonce: [1234, 5678] }, [liar]);
  assert.equal(outcome.failure?.step, "nonce");
  assert.match(outcome.failure?.reply ?? "", /^nf#7006653\|\d+$/);
});

Deno.test("a prompt stuck in a continuation (>>) does not pass", async () => {
  const { outcome } = await probeBoard("nodemcu", {}, ["for i = 1, 2 do"]);
  assert.equal(outcome.failure?.step, "nonce");
});

Deno.test("a prompt that does not answer an empty line fails the first probe", async () => {
  const { outcome, sent } = await probeBoard(replayed("deaf"), { timeoutMs: 100 });
  assert.equal(outcome.failure?.step, "empty-line");
  assert.deepEqual(sent, ["\r\n"]);
});

Deno.test("the user probe passes and fails as its pattern says, on the output alone", async () => {
  const pass = await probeBoard("nodemcu", { lua: "print(node.heap() > 1000)", expect: /^true$/ });
  assert.deepEqual(pass.outcome.user, { ok: true, output: "true" });
  assert.equal(pass.outcome.failure, undefined);
  // The simulated build has no wifi module.
  const fail = await probeBoard("nodemcu", { lua: "print(wifi)", expect: /^romtable/ });
  assert.deepEqual(fail.outcome.user, { ok: false, output: "nil" });
  assert.equal(fail.outcome.failure?.step, "user");
  assert.equal(fail.outcome.failure?.reply, "nil");
  // The typed line (echoed back) is not what the pattern sees.
  const echo = await probeBoard("nodemcu", { lua: "x = 'needle'", expect: /needle/ });
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
