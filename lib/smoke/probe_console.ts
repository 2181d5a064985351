/**
 * Probing a Lua prompt: an empty line must bring a fresh prompt, then a Lua expression built on
 * a random nonce must print a result only the interpreter could compute (an echo of the input
 * does not contain it), then an optional user probe must match its pattern.
 *
 * @module
 */

import { userError } from "../errors.ts";
import { endsWithPrompt } from "./boot_log.ts";
import type { ConsoleCapture } from "./console_capture.ts";
import { consoleLines } from "./console_text.ts";
import type { ProbeFailure } from "./diagnose.ts";

/** The nonce probe: the line to type and the answer that proves Lua ran it. */
export interface NonceProbe {
  /** The Lua line (no line end). */
  line: string;
  /** Matches the printed answer; group 1 is `node.heap()`. */
  answer: RegExp;
}

/** Options for {@link probeConsole}. */
export interface ProbeOptions {
  /** How long each probe may take to come back with a prompt. */
  timeoutMs: number;
  /** Optional user probe: one line of Lua. */
  lua?: string;
  /** What the user probe's output must match. */
  expect?: RegExp;
  /** Two factors for the nonce probe (random four-digit numbers by default). */
  nonce?: [number, number];
}

/** What the probes showed. */
export interface ProbeOutcome {
  /** The first probe that failed, if any. */
  failure: ProbeFailure | undefined;
  /** Free heap in bytes, as `node.heap()` printed it. */
  heap: number | undefined;
  /** The user probe's result, when one was given and reached. */
  user: { ok: boolean; output: string } | undefined;
}

/** Longest line NodeMCU's input driver takes without corrupting it (LUA_MAXINPUT is 256). */
export const MAX_PROBE_LINE = 250;

/**
 * Builds the nonce probe: the product of two numbers and the free heap, printed after a marker
 * that the typed line does not contain.
 *
 * @param a first factor
 * @param b second factor
 * @returns the line and its expected answer
 *
 * @example
 * ```ts
 * import { nonceProbe } from "./probe_console.ts";
 * import assert from "node:assert/strict";
 * const p = nonceProbe(1234, 5678);
 * assert.equal(p.line, 'print("nf".."#"..(1234*5678).."|"..node.heap())');
 * assert.match("nf#7006652|40120", p.answer);
 * assert.doesNotMatch(p.line, p.answer);
 * ```
 */
export function nonceProbe(a: number, b: number): NonceProbe {
  return {
    line: `print("nf".."#"..(${a}*${b}).."|"..node.heap())`,
    answer: new RegExp(`^nf#${a * b}\\|(\\d+)$`, "m"),
  };
}

/**
 * Checks a user probe before any byte is sent: one line, short enough for the input driver.
 *
 * @param lua the probe's Lua code
 * @param expect its pattern
 * @throws a user error (`smoke/bad-probe`) naming what is wrong
 *
 * @example
 * ```ts
 * import { checkUserProbe } from "./probe_console.ts";
 * import assert from "node:assert/strict";
 * checkUserProbe("print(1)", /^1$/);
 * assert.throws(() => checkUserProbe("a=1\nprint(a)", /1/), /one line/);
 * ```
 */
export function checkUserProbe(lua: string | undefined, expect: RegExp | undefined): void {
  if (lua === undefined && expect === undefined) return;
  if (lua === undefined || expect === undefined) {
    throw userError(
      "smoke/bad-probe",
      "A user probe needs both the Lua code and the pattern its output must match",
      'Pass both, e.g. lua: "print(node.heap() > 10000)" with expect: /^true$/.',
    );
  }
  if (/[\r\n]/.test(lua) || lua.trim() === "" || lua.length > MAX_PROBE_LINE) {
    throw userError(
      "smoke/bad-probe",
      `The user probe must be one line of Lua of at most ${MAX_PROBE_LINE} characters`,
      "Join statements with ';' and keep the probe short (NodeMCU's input line holds 256 bytes).",
    );
  }
}

/** What came back for a typed line: without its echo, without the trailing prompt. */
function replyOf(text: string, sent: string): string {
  const lines = consoleLines(text).map((l) => l.text);
  if (lines.length > 0 && endsWithPrompt(text)) lines.pop();
  const echo = lines.findIndex((l) => l.trim() !== "");
  if (echo >= 0 && lines[echo]!.trim() === sent.trim()) lines.splice(0, echo + 1);
  return lines.join("\n").trim();
}

/** Types a line and waits for the prompt after it. */
async function exchange(
  capture: ConsoleCapture,
  line: string,
  timeoutMs: number,
): Promise<{ text: string; prompt: boolean }> {
  const mark = capture.length;
  const deadline = performance.now() + timeoutMs;
  await capture.send(line + "\r\n");
  while (true) {
    const text = capture.textSince(mark);
    if (endsWithPrompt(text)) return { text, prompt: true };
    const left = deadline - performance.now();
    if (left <= 0) return { text, prompt: false };
    if (await capture.read(left) === "ended") {
      return { text: capture.textSince(mark), prompt: false };
    }
  }
}

function randomFactor(): number {
  const [n] = crypto.getRandomValues(new Uint32Array(1));
  return 1000 + (n! % 9000);
}

/**
 * Runs the probes at a prompt: empty line, nonce, then the user probe if given.
 *
 * @param capture the capture, with the board waiting at a prompt
 * @param options timeout, user probe
 * @returns the first failure (if any), the heap and the user probe's result
 *
 * @example
 * ```ts
 * import { probeConsole } from "./probe_console.ts";
 * import { ConsoleCapture } from "./console_capture.ts";
 * import { createMemoryLink } from "../transport/memory.ts";
 * import assert from "node:assert/strict";
 * // A fake that echoes every line and never runs it: the nonce probe catches it.
 * const link = createMemoryLink({ receive: (b) => {
 *   const line = new TextDecoder().decode(b).trimEnd();
 *   link.deliver(new TextEncoder().encode(line + "\r\n> "));
 * } });
 * const capture = new ConsoleCapture(link.transport);
 * const out = await probeConsole(capture, { timeoutMs: 200 });
 * assert.equal(out.failure?.step, "nonce");
 * capture.release();
 * await link.transport.close();
 * ```
 */
export async function probeConsole(
  capture: ConsoleCapture,
  options: ProbeOptions,
): Promise<ProbeOutcome> {
  const outcome: ProbeOutcome = { failure: undefined, heap: undefined, user: undefined };
  const empty = await exchange(capture, "", options.timeoutMs);
  if (!empty.prompt) {
    outcome.failure = { step: "empty-line", sent: "", reply: replyOf(empty.text, "") };
    return outcome;
  }
  const [a, b] = options.nonce ?? [randomFactor(), randomFactor()];
  const probe = nonceProbe(a, b);
  const nonce = await exchange(capture, probe.line, options.timeoutMs);
  const reply = replyOf(nonce.text, probe.line);
  const answer = probe.answer.exec(reply);
  if (!nonce.prompt || !answer) {
    outcome.failure = { step: "nonce", sent: probe.line, reply };
    return outcome;
  }
  outcome.heap = Number(answer[1]);
  if (options.lua === undefined || options.expect === undefined) return outcome;
  const user = await exchange(capture, options.lua, options.timeoutMs);
  const output = replyOf(user.text, options.lua);
  const ok = user.prompt && output.search(options.expect) !== -1;
  outcome.user = { ok, output };
  if (!ok) {
    outcome.failure = { step: "user", sent: options.lua, reply: output, expect: options.expect };
  }
  return outcome;
}
