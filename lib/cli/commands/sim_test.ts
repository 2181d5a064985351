import assert from "node:assert/strict";
import { Output } from "../output.ts";
import { parseCommandLine } from "../parse_args.ts";
import { simCommand } from "./sim.ts";

function context(argv: string[], signal: AbortSignal) {
  const parsed = parseCommandLine(argv, { commands: [simCommand], env: () => undefined });
  if (parsed.kind !== "run") throw new Error("not a run");
  let stdout = "";
  let stderr = "";
  const out = new Output({
    stdout: (t) => stdout += t,
    stderr: (t) => stderr += t,
    stderrIsTerminal: false,
  }, {
    json: false,
    quiet: false,
  });
  return {
    ctx: { ...parsed.line, out, env: () => undefined, signal },
    stdout: () => stdout,
    stderr: () => stderr,
  };
}

async function untilListening(stdout: () => string): Promise<string> {
  while (!stdout().includes("\n")) await new Promise((r) => setTimeout(r, 5));
  return stdout();
}

Deno.test("sim command: prints exactly 'listening URL', serves, stops on abort and saves the flash", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const abort = new AbortController();
    const file = `${dir}/board.bin`;
    const log = `${dir}/frames.log`;
    const run = context(
      [
        "sim",
        "--tcp",
        "127.0.0.1:0",
        "--flash-size",
        "1MB",
        "--flash-file",
        file,
        "--verbose",
        "--log",
        log,
        "--mac",
        "5c:cf:7f:0a:0b:0c",
      ],
      abort.signal,
    );
    const done = simCommand.run(run.ctx);
    const first = await untilListening(run.stdout);
    const m = /^listening socket:\/\/127\.0\.0\.1:(\d+)\n$/.exec(first);
    assert.ok(m, first);
    const conn = await Deno.connect({ hostname: "127.0.0.1", port: Number(m[1]) });
    // READ_REG of eFuse word 0: its top byte is the last MAC byte
    await conn.write(new Uint8Array([0xc0, 0, 0x0a, 4, 0, 0, 0, 0, 0, 0x50, 0, 0xf0, 0x3f, 0xc0]));
    const buf = new Uint8Array(64);
    const n = (await conn.read(buf)) ?? 0;
    assert.equal(buf[8], 0x0c, `reply ${buf.subarray(0, n)}`);
    conn.close();
    abort.abort();
    assert.equal(await done, 0);
    assert.equal(run.stdout(), first, "nothing else on stdout");
    assert.match(run.stderr(), /\[sim\] rom READ_REG address=0x3ff00050 -> 00 00/);
    assert.equal((await Deno.stat(file)).size, 1024 * 1024);
    assert.match(await Deno.readTextFile(log), /^[\d.]+ rx c0 00 0a/m);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("sim command: endpoint and option mistakes are user errors", async () => {
  const signal = new AbortController().signal;
  for (
    const [argv, code] of [
      [["sim"], "cli/sim-endpoint"],
      [["sim", "--tcp", "1.2.3.4:1", "--pty"], "cli/sim-endpoint"],
      [["sim", "--rfc2217", "nohost"], "cli/sim-address"],
      [["sim", "--rfc2217", "h:99999"], "cli/sim-address"],
      [["sim", "--tcp", "127.0.0.1:0", "--seed", "x"], "cli/sim-seed"],
      [["sim", "--tcp", "127.0.0.1:0", "--flash-size", "3MB"], "input/flash-size"],
    ] as const
  ) {
    await assert.rejects(simCommand.run(context([...argv], signal).ctx), { code }, argv.join(" "));
  }
});

Deno.test({
  name: "sim command as a program: SIGTERM and SIGINT end it cleanly after saving the flash file",
  ignore: Deno.build.os === "windows",
  async fn() {
    const dir = await Deno.makeTempDir();
    try {
      // The command table does not list `sim` yet: run main() with it, as runCli does.
      const script = `${dir}/run.ts`;
      await Deno.writeTextFile(
        script,
        `
import { main } from ${JSON.stringify(new URL("../main.ts", import.meta.url).href)};
import { simCommand } from ${JSON.stringify(new URL("./sim.ts", import.meta.url).href)};
const c = new AbortController();
for (const s of ["SIGINT", "SIGTERM"] as const) Deno.addSignalListener(s, () => c.abort());
const enc = new TextEncoder();
const code = await main(Deno.args, {
  stdout: (t) => Deno.stdout.writeSync(enc.encode(t)), stderr: (t) => Deno.stderr.writeSync(enc.encode(t)),
  stderrIsTerminal: false, env: () => undefined, signal: c.signal }, [simCommand]);
Deno.exit(code);
`,
      );
      const config = new URL("../../../deno.json", import.meta.url).pathname;
      for (const signal of ["SIGTERM", "SIGINT"] as const) {
        const file = `${dir}/${signal}.bin`;
        const child = new Deno.Command(Deno.execPath(), {
          args: [
            "run",
            "-A",
            "--config",
            config,
            script,
            "sim",
            "--rfc2217",
            "127.0.0.1:0",
            "--flash-file",
            file,
            "--flash-size",
            "512KB",
          ],
          stdout: "piped",
          stderr: "piped",
        }).spawn();
        const reader = child.stdout.getReader();
        let text = "";
        while (!text.includes("\n")) {
          const { value, done } = await reader.read();
          if (done) break;
          text += new TextDecoder().decode(value);
        }
        assert.match(text, /^listening rfc2217:\/\/127\.0\.0\.1:\d+\n$/);
        child.kill(signal);
        const rest = await reader.read();
        reader.releaseLock();
        const status = await child.status;
        await child.stderr.cancel();
        assert.equal(status.code, 0, signal);
        assert.equal(rest.done, true, "nothing more on stdout");
        assert.equal((await Deno.stat(file)).size, 512 * 1024);
      }
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  },
});
