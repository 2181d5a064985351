import assert from "node:assert/strict";
import { keyHelp, keyName, MENU_COMMANDS, MonitorKeys } from "./monitor_keys.ts";

const bytes = (...parts: (string | number)[]): Uint8Array =>
  new Uint8Array(
    parts.flatMap((p) => typeof p === "number" ? [p] : [...p].map((c) => c.charCodeAt(0))),
  );
const send = (...parts: (string | number)[]) => ({ kind: "send", bytes: bytes(...parts) });
const CTRL_T = 0x14, CTRL_BRACKET = 0x1d;

Deno.test("ordinary keys go to the board unchanged, in one send per read", () => {
  const keys = new MonitorKeys();
  const typed = bytes("print(6*7)", 0x0d, 0x03, 0x7f, 0x1b, "[A", 0xc3, 0xa9);
  assert.deepEqual(keys.feed(typed), [{ kind: "send", bytes: typed }]);
  assert.deepEqual(keys.feed(new Uint8Array(0)), []);
  assert.equal(keys.pending, false);
});

Deno.test("Ctrl-] quits; what came before it is sent, what follows is dropped", () => {
  const keys = new MonitorKeys();
  assert.deepEqual(keys.feed(bytes("ab", CTRL_BRACKET, "cd")), [send("ab"), { kind: "quit" }]);
  assert.deepEqual(keys.feed(bytes("more")), []);
});

Deno.test("Ctrl-T R, r and Ctrl-R reset; H, h, ? and Ctrl-H show help; Q and X quit", () => {
  for (const key of ["R", "r", 0x12]) {
    assert.deepEqual(new MonitorKeys().feed(bytes(CTRL_T, key)), [{ kind: "reset" }]);
  }
  for (const key of ["H", "h", "?", 0x08]) {
    assert.deepEqual(new MonitorKeys().feed(bytes(CTRL_T, key)), [{ kind: "help" }]);
  }
  for (const key of ["Q", "q", "X", "x", 0x11, 0x18]) {
    const keys = new MonitorKeys();
    assert.deepEqual(keys.feed(bytes("a", CTRL_T, key, "b")), [send("a"), { kind: "quit" }]);
  }
});

Deno.test("Ctrl-T Ctrl-T and Ctrl-T Ctrl-] send the literal key, merged with the text around", () => {
  const keys = new MonitorKeys();
  assert.deepEqual(keys.feed(bytes("a", CTRL_T, CTRL_T, "b", CTRL_T, CTRL_BRACKET, "c")), [
    send("a", CTRL_T, "b", CTRL_BRACKET, "c"),
  ]);
});

Deno.test("a Ctrl-T at the end of one read takes its second key from the next read", () => {
  const keys = new MonitorKeys();
  assert.deepEqual(keys.feed(bytes("x", CTRL_T)), [send("x")]);
  assert.equal(keys.pending, true);
  assert.deepEqual(keys.feed(bytes("R", "y")), [{ kind: "reset" }, send("y")]);
  assert.equal(keys.pending, false);
  // A pending Ctrl-T followed by Ctrl-] sends Ctrl-], it does not quit.
  keys.feed(bytes(CTRL_T));
  assert.deepEqual(keys.feed(bytes(CTRL_BRACKET)), [send(CTRL_BRACKET)]);
});

Deno.test("an unknown Ctrl-T command is reported and swallowed, and the text after it still goes", () => {
  const keys = new MonitorKeys();
  assert.deepEqual(keys.feed(bytes("a", CTRL_T, "z", "b")), [
    send("a"),
    { kind: "unknown-key", key: 0x7a },
    send("b"),
  ]);
});

Deno.test("actions keep their order within one read", () => {
  const keys = new MonitorKeys();
  assert.deepEqual(
    keys.feed(bytes("=1", 0x0d, CTRL_T, "h", "=2", 0x0d, CTRL_T, "R", "=3", CTRL_BRACKET)),
    [send("=1", 0x0d), { kind: "help" }, send("=2", 0x0d), { kind: "reset" }, send("=3"), {
      kind: "quit",
    }],
  );
});

Deno.test("no two menu commands share a key, and the help lists every command", () => {
  const all = MENU_COMMANDS.flatMap((c) => c.keys);
  assert.equal(new Set(all).size, all.length);
  const help = keyHelp();
  assert.equal(help.length, MENU_COMMANDS.length + 1);
  for (const c of MENU_COMMANDS) assert.ok(help.some((l) => l.startsWith(c.label)), c.label);
});

Deno.test("key names", () => {
  assert.deepEqual([keyName(0x1d), keyName(0x01), keyName(0x20), keyName(0x7f)], [
    "Ctrl-]",
    "Ctrl-A",
    "' '",
    "0x7f",
  ]);
});
