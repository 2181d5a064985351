import assert from "node:assert/strict";
import type { TransportEvent } from "../transport/mod.ts";
import { Output } from "./output.ts";
import { renderTransportEvents, transportNote } from "./transport_notes.ts";

const url = "rfc2217://bench:4000";
const EVERY_KIND: TransportEvent[] = [
  { type: "no-modem-lines", url, reason: "the server did not acknowledge SET-CONTROL" },
  { type: "ack-timeout", url, option: "set-baudrate", waitedMs: 1001 },
  { type: "stale-lock", url: "/dev/ttyUSB0", lockFile: "/run/lock/LCK..ttyUSB0", pid: 4242 },
  {
    type: "lock-skipped",
    url: "/dev/ttyUSB0",
    lockFile: "LCK..ttyUSB0",
    reason: "no lock directory",
  },
  { type: "baud-adjusted", url, requested: 921600, actual: 460800 },
  { type: "notice", url, message: "the server refused ECHO" },
];

function capture(mode: { json: boolean; quiet: boolean }) {
  const seen = { stdout: "", stderr: "" };
  const out = new Output({
    stdout: (t) => seen.stdout += t,
    stderr: (t) => seen.stderr += t,
    stderrIsTerminal: false,
  }, mode);
  return { seen, onEvent: renderTransportEvents(out) };
}

Deno.test("transportNote: warnings for what can change the outcome, notes for the rest", () => {
  const notes = EVERY_KIND.map(transportNote);
  assert.deepEqual(notes.map((n) => [n.code, n.level]), [
    ["transport/no-modem-lines", "info"],
    ["transport/ack-timeout", "warning"],
    ["transport/stale-lock", "info"],
    ["transport/lock-skipped", "info"],
    ["transport/baud-adjusted", "warning"],
    ["transport/notice", "info"],
  ]);
  for (const [i, note] of notes.entries()) {
    assert.ok(note.message.includes(EVERY_KIND[i]!.url), note.message);
    assert.ok(!note.message.includes("\n"), note.message);
  }
  assert.match(notes[1]!.message, /did not acknowledge set-baudrate within 1001 ms/);
  assert.match(notes[2]!.message, /LCK\.\.ttyUSB0 left by process 4242/);
  assert.match(notes[4]!.message, /runs at 460800 baud, not the 921600 asked for/);
});

Deno.test("renderTransportEvents: one line each on stderr, warnings and notes told apart", () => {
  const { seen, onEvent } = capture({ json: false, quiet: false });
  for (const e of EVERY_KIND) onEvent(e);
  assert.equal(seen.stdout, "");
  const lines = seen.stderr.trimEnd().split("\n");
  assert.equal(lines.length, EVERY_KIND.length);
  assert.deepEqual(lines.map((l) => l.slice(0, l.indexOf(":"))), [
    "note",
    "warning",
    "note",
    "note",
    "warning",
    "note",
  ]);
});

Deno.test("renderTransportEvents: with --json every event is a JSON line on stdout", () => {
  const { seen, onEvent } = capture({ json: true, quiet: false });
  for (const e of EVERY_KIND) onEvent(e);
  const events = seen.stdout.trimEnd().split("\n").map((l) => JSON.parse(l));
  assert.deepEqual(events.map((e) => [e.type, e.code]), [
    ["note", "transport/no-modem-lines"],
    ["warning", "transport/ack-timeout"],
    ["note", "transport/stale-lock"],
    ["note", "transport/lock-skipped"],
    ["warning", "transport/baud-adjusted"],
    ["note", "transport/notice"],
  ]);
  assert.deepEqual(events.map((e) => e.message), EVERY_KIND.map((e) => transportNote(e).message));
  // as every warning of the CLI, warnings are also said on stderr; notes are not
  assert.equal(seen.stderr.trimEnd().split("\n").length, 2);
  assert.ok(seen.stderr.split("\n").every((l) => l === "" || l.startsWith("warning: ")));
});

Deno.test("renderTransportEvents: --quiet keeps warnings off stderr and drops notes", () => {
  const { seen, onEvent } = capture({ json: false, quiet: true });
  for (const e of EVERY_KIND) onEvent(e);
  assert.deepEqual(seen, { stdout: "", stderr: "" });
});

Deno.test("renderTransportEvents: the same fact is said once, however often it comes", () => {
  const { seen, onEvent } = capture({ json: false, quiet: false });
  // both SET-CONTROL acknowledgements of one setSignals time out together, then again later
  onEvent({ type: "ack-timeout", url, option: "set-control", waitedMs: 200 });
  onEvent({ type: "ack-timeout", url, option: "set-control", waitedMs: 201 });
  onEvent({ type: "no-modem-lines", url, reason: "no acks" });
  onEvent({ type: "no-modem-lines", url, reason: "no acks" });
  onEvent({ type: "ack-timeout", url, option: "set-control", waitedMs: 200 });
  // a different option, or another port, is another fact
  onEvent({ type: "ack-timeout", url, option: "purge-data", waitedMs: 200 });
  onEvent({ type: "ack-timeout", url: "rfc2217://other:1", option: "set-control", waitedMs: 200 });
  const lines = seen.stderr.trimEnd().split("\n");
  assert.deepEqual(lines, [
    `warning: ${url} did not acknowledge set-control within 200 ms; carrying on without the acknowledgement`,
    `note: no DTR/RTS control on ${url}: no acks`,
    `warning: ${url} did not acknowledge purge-data within 200 ms; carrying on without the acknowledgement`,
    "warning: rfc2217://other:1 did not acknowledge set-control within 200 ms; carrying on without the acknowledgement",
  ]);
});

Deno.test("renderTransportEvents: each listener starts afresh (one per opened transport)", () => {
  const first = capture({ json: false, quiet: false });
  const second = capture({ json: false, quiet: false });
  const e: TransportEvent = { type: "no-modem-lines", url: "/dev/pts/3", reason: "ENOTTY" };
  first.onEvent(e);
  second.onEvent(e);
  assert.equal(first.seen.stderr, second.seen.stderr);
  assert.equal(first.seen.stderr, "note: no DTR/RTS control on /dev/pts/3: ENOTTY\n");
});
