import assert from "node:assert/strict";
import { isNodeflashError } from "../../mod.ts";
import { stdioTerminal } from "./monitor_terminal.ts";

Deno.test("stdioTerminal over a real pipe: not a terminal, bytes in and out unchanged", async () => {
  const script = `
    import { stdioTerminal } from ${
    JSON.stringify(new URL("./monitor_terminal.ts", import.meta.url).href)
  };
    const t = stdioTerminal();
    Deno.stderr.writeSync(new TextEncoder().encode(String(t.isTerminal)));
    for (let b = await t.read(); b !== null; b = await t.read()) await t.write(b);
  `;
  const child = new Deno.Command(Deno.execPath(), {
    args: ["eval", "--no-check", script],
    stdin: "piped",
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  const sent = new Uint8Array(10_000).map((_, i) => (i * 7) & 0xff);
  const writer = child.stdin.getWriter();
  await writer.write(sent);
  await writer.close();
  const { code, stdout, stderr } = await child.output();
  assert.equal(code, 0, new TextDecoder().decode(stderr));
  assert.equal(new TextDecoder().decode(stderr), "false");
  assert.deepEqual(stdout, sent);
});

Deno.test("stdioTerminal: a closed stdout is a user error; raw mode reaches stdin", async () => {
  const raw: boolean[] = [];
  const terminal = stdioTerminal({
    stdin: {
      read: () => Promise.resolve(null),
      isTerminal: () => true,
      setRaw: (r) => raw.push(r),
    },
    stdout: {
      writeSync: () => {
        throw new Deno.errors.BrokenPipe("broken pipe");
      },
    },
  });
  assert.equal(terminal.isTerminal, true);
  terminal.setRaw(true);
  terminal.setRaw(false);
  assert.deepEqual(raw, [true, false]);
  await assert.rejects(
    async () => await terminal.write(new Uint8Array([1])),
    (e) => isNodeflashError(e) && e.code === "output/closed",
  );
});
