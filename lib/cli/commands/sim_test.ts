import { readUntil } from "../../../tests/support/read_until.ts";
import assert from "node:assert/strict";
import { buildNodemcuFirmware } from "../../testing/mod.ts";
import { openTransport, type Transport } from "../../../mod.ts";
import { runCli } from "../../../tests/support/run_cli.ts";
import { spawnSim } from "../../../tests/support/sim_process.ts";
import { SIM_URL_KEYS } from "../../sim/mod.ts";
import { COMMANDS } from "../commands.ts";
import { Output } from "../output.ts";
import { parseCommandLine } from "../parse_args.ts";
import { createSimCommand, simCommand } from "./sim.ts";

/** The command without the process's signals and stdin (an in-process test shares them). */
const command = createSimCommand({ buttonSources: () => ({}) });

function context(argv: string[], signal: AbortSignal) {
  const parsed = parseCommandLine(argv, { commands: [command], env: () => undefined });
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

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Runs the command in-process on an RFC 2217 endpoint while `fn` talks to it, then stops it. */
async function serving(argv: string[], fn: (url: string) => Promise<void>): Promise<string> {
  const abort = new AbortController();
  const run = context(["sim", "--rfc2217", "127.0.0.1:0", ...argv], abort.signal);
  const done = command.run(run.ctx);
  try {
    const first = await Promise.race([
      untilListening(run.stdout),
      done.then((code) => Promise.reject(new Error(`ended with ${code}: ${run.stderr()}`))),
    ]);
    await fn(/^listening (\S+)\n$/.exec(first)![1]!);
  } finally {
    abort.abort();
    assert.equal(await done, 0);
  }
  return run.stderr();
}

/** The first ROM boot line in a console text. */
const romLine = (text: string) =>
  /\r\n ets Jan {2}8 2013,rst cause:\d, boot mode:\(\d,\d\)\r\n/.exec(text)?.[0];

/** What a devkit's reset is: an RTS pulse with DTR released. */
async function pulseReset(port: Transport): Promise<void> {
  await port.setSignals({ dtr: false, rts: true });
  await sleep(50);
  await port.setSignals({ dtr: false, rts: false });
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
    const done = command.run(run.ctx);
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
      [["sim", "--tcp", "127.0.0.1:0", "--crystal", "24"], "cli/sim-option"],
      [["sim", "--tcp", "127.0.0.1:0", "--jedec-id", "winbond"], "cli/sim-option"],
      [["sim", "--tcp", "127.0.0.1:0", "--init-data", "sdk"], "cli/sim-option"],
      [
        ["sim", "--tcp", "127.0.0.1:0", "--init-data", "none", "--firmware-writes-init-data"],
        "cli/sim-option",
      ],
    ] as const
  ) {
    await assert.rejects(command.run(context([...argv], signal).ctx), { code }, argv.join(" "));
  }
});

Deno.test("sim command: in the command table; every sim:// key is an option; the help names the button keys", async () => {
  assert.ok(COMMANDS.includes(simCommand));
  for (const key of SIM_URL_KEYS) assert.ok(key in simCommand.options, `--${key}`);
  const help = await runCli(["sim", "--help"]);
  assert.equal(help.code, 0);
  assert.match(help.stdout, /--firmware-writes-init-data +the firmware writes init data/);
  assert.match(help.stdout, /--crystal MHZ +26 \(default/);
  assert.match(help.stdout, /b = hold FLASH, press RESET: the ROM's download mode/);
  assert.match(help.stdout, /r = press RESET: boot the firmware in flash/);
  assert.match(help.stdout, /SIGUSR1 = b, SIGUSR2 = r/);
});

Deno.test("sim command: --jedec-id and --crystal 40 reach the board: flash id, crystal, the ROM at 115200", async () => {
  await serving(["--jedec-id", "0x1640c8", "--crystal", "40"], async (url) => {
    const info = await runCli(["--port", url, "--json", "info"]);
    assert.equal(info.code, 0, info.stderr);
    const result = info.json().at(-1)!;
    assert.equal(result.flashId, 0x1640c8, "GigaDevice, as configured");
    assert.equal(result.flashSize, "4MB");
    assert.equal(result.crystalMhz, 40);
    const port = await openTransport(url, { baudRate: 115200 });
    try {
      await pulseReset(port);
      // a 26 MHz chip's 74880 baud would be garbage at 115200; a 40 MHz one talks at 115200
      const text = await readUntil(port, /boot mode:\(\d,\d\)\r\n/);
      assert.equal(romLine(text), "\r\n ets Jan  8 2013,rst cause:2, boot mode:(3,6)\r\n", text);
    } finally {
      await port.close();
    }
  });
});

Deno.test("sim command: --firmware-writes-init-data and --init-data decide what firmware does with blank init data", async () => {
  const dir = await Deno.makeTempDir();
  const MB = 1 << 20;
  const flashWith = (version: string) => {
    const fw = buildNodemcuFirmware({ totalSize: 0x30000, flashSize: "1MB", banner: { version } });
    const flash = new Uint8Array(MB).fill(0xff);
    flash.set(fw.combined);
    return flash;
  };
  const cases = [
    { name: "old", version: "1.5.4.1", argv: ["--firmware-writes-init-data"], boots: true },
    { name: "old-auto", version: "1.5.4.1", argv: [], boots: false },
    { name: "new-none", version: "3.0.0.0", argv: ["--init-data", "none"], boots: false },
    { name: "new-auto", version: "3.0.0.0", argv: ["--init-data", "auto"], boots: true },
  ];
  try {
    for (const c of cases) {
      const file = `${dir}/${c.name}.bin`;
      await Deno.writeFile(file, flashWith(c.version));
      await serving(["--flash-size", "1MB", "--flash-file", file, ...c.argv], async (url) => {
        const port = await openTransport(url, { baudRate: c.boots ? 115200 : 74880 });
        try {
          await pulseReset(port);
          if (c.boots) await readUntil(port, /init\.lua[^\r\n]*\r\n> $/);
          else await readUntil(port, /rf_cal\[0\] !=0x05,is 0xFF\r\n/);
        } finally {
          await port.close();
        }
      });
      // the SDK's init data sits 0x4000 below the end of the size in the header (1 MB)
      const saved = await Deno.readFile(file);
      assert.equal(saved[MB - 0x4000], c.boots ? 0x05 : 0xff, c.name);
    }
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test({
  name:
    "sim as a program: SIGINT (and SIGTERM) end it with 0 and the flash file holds what a client wrote",
  ignore: Deno.build.os === "windows",
  async fn() {
    const dir = await Deno.makeTempDir();
    try {
      const data = new Uint8Array(3000).map((_, i) => (i * 29 + 3) & 0xff);
      await Deno.writeFile(`${dir}/data.bin`, data);
      for (const signal of ["SIGINT", "SIGTERM"] as const) {
        const file = `${dir}/${signal}.bin`;
        const sim = await spawnSim(
          ["--rfc2217", "127.0.0.1:0", "--flash-file", file, "--flash-size", "512KB"],
        );
        try {
          assert.match(sim.url, /^rfc2217:\/\/127\.0\.0\.1:\d+$/);
          const wrote = await runCli(["--port", sim.url, "flash", "0x2000", `${dir}/data.bin`]);
          assert.equal(wrote.code, 0, wrote.stderr);
        } finally {
          const { code, stdoutAfter } = await sim.stop(signal);
          assert.equal(code, 0, `${signal}: ${sim.stderr()}`);
          assert.equal(stdoutAfter, "", "nothing on stdout after the listening line");
        }
        const saved = await Deno.readFile(file);
        assert.equal(saved.length, 512 * 1024);
        assert.deepEqual(saved.subarray(0x2000, 0x2000 + data.length), data, signal);
        assert.ok(saved.subarray(0, 0x2000).every((b) => b === 0xff), "nothing else written");
      }
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  },
});

Deno.test({
  name: "sim as a program, --reset manual: DTR/RTS do nothing; key b enters download mode, r boots",
  ignore: Deno.build.os === "windows",
  async fn() {
    const sim = await spawnSim([
      "--rfc2217",
      "127.0.0.1:0",
      "--reset",
      "manual",
      "--flash-size",
      "1MB",
      "--mac",
      "5c:cf:7f:0b:0b:0e",
      "--verbose",
    ]);
    try {
      const args = ["--port", sim.url, "--json", "--connect-attempts", "1", "info"];
      const refused = await runCli(args);
      assert.equal(refused.code, 1, "DTR/RTS cannot put a board without the circuit in its loader");
      assert.doesNotMatch(sim.stderr(), /\[sim\] boot:/, "nor reset it");

      let mark = sim.stderr().length;
      const rom = await openTransport(sim.url, { baudRate: 74880 });
      try {
        await sim.untilStderr(/host=74880/, { since: mark });
        await sim.type("b");
        await sim.untilStderr(/\[sim\] key 'b': FLASH held through RESET: download mode\n/, {
          since: mark,
        });
        assert.equal(
          romLine(await readUntil(rom, /boot mode:\(\d,\d\)\r\n/)),
          "\r\n ets Jan  8 2013,rst cause:2, boot mode:(1,7)\r\n",
        );
      } finally {
        await rom.close();
      }
      const info = await runCli(["--before", "no-reset", "--after", "no-reset", ...args]);
      assert.equal(info.code, 0, info.stderr);
      assert.equal(info.json().at(-1)!.mac, "5c:cf:7f:0b:0b:0e");

      mark = sim.stderr().length;
      const boot = await openTransport(sim.url, { baudRate: 74880 });
      try {
        await sim.untilStderr(/host=74880/, { since: mark });
        await sim.type("\nr\n");
        assert.equal(
          romLine(await readUntil(boot, /boot mode:\(\d,\d\)\r\n/)),
          "\r\n ets Jan  8 2013,rst cause:2, boot mode:(3,6)\r\n",
        );
        await sim.untilStderr(/\[sim\] key 'r': RESET pressed: booting from flash\n/, {
          since: mark,
        });
      } finally {
        await boot.close();
      }
      mark = sim.stderr().length;
      await sim.type("x");
      await sim.untilStderr(/\[sim\] key 'x' does nothing; keys: b = /, { since: mark });
    } finally {
      const { code, stdoutAfter } = await sim.stop();
      assert.equal(code, 0, sim.stderr());
      assert.equal(stdoutAfter, "", "notes go to stderr, never stdout");
    }
  },
});

Deno.test({
  name: "sim as a program: SIGUSR1 presses FLASH and RESET (download mode), SIGUSR2 RESET (boot)",
  ignore: Deno.build.os === "windows",
  async fn() {
    const sim = await spawnSim(["--tcp", "127.0.0.1:0", "--reset", "manual", "--verbose"]);
    try {
      sim.child.kill("SIGUSR1");
      await sim.untilStderr(
        /boot: rst cause 2 \(external\), download mode\n[^]*\[sim\] SIGUSR1: FLASH held through RESET: download mode\n/,
      );
      const mark = sim.stderr().length;
      sim.child.kill("SIGUSR2");
      const after = await sim.untilStderr(/\[sim\] SIGUSR2: RESET pressed: booting from flash\n/, {
        since: mark,
      });
      await sim.untilStderr(/boot: rst cause 2 \(external\), flash mode\n/, { since: mark });
      assert.doesNotMatch(after, /download mode/);
    } finally {
      const { code } = await sim.stop();
      assert.equal(code, 0, sim.stderr());
    }
  },
});
