/**
 * Throughput and host CPU use of the FFI serial port (Linux), through a pty whose other end is
 * driven by a separate "pacer" process (this same file run with `--pacer`), so the CPU figures
 * are the port's alone.
 *
 * - `deno bench -A tests/bench/serial_bench.ts`: the benchmarks, and the figures
 *   printed once (throughput in MiB/s and CPU as % of one core).
 * - `deno run -A tests/bench/serial_bench.ts`: the figures only.
 *
 * Goal: under 5 % of one core while receiving at 921600 baud (92,160 bytes/s, sent by the
 * pacer in 1 ms slices, like a USB full-speed bridge polled every frame).
 *
 * @module
 */

import process from "node:process";
import type { Transport } from "../../lib/transport/types.ts";
import { openLinuxSerial } from "../../lib/transport/serial/linux.ts";
import { PtyPair } from "../../lib/transport/serial/pty_pair.ts";

const PACED_RATE = 92_160; // bytes/s at 921600 baud, 8N1
const PACED_SECONDS = 3;

/** Runs in the child: owns the pty master, obeys one-line commands on stdin. */
async function pacer(): Promise<void> {
  const pty = PtyPair.open();
  const out = Deno.stdout.writable.getWriter();
  const say = (line: string) => out.write(new TextEncoder().encode(line + "\n"));
  await say(pty.slavePath);
  const lines = Deno.stdin.readable.pipeThrough(new TextDecoderStream()).values();
  let buffer = "";
  for await (const text of lines) {
    buffer += text;
    let nl: number;
    while ((nl = buffer.indexOf("\n")) >= 0) {
      const [cmd, a = "0", b = "0"] = buffer.slice(0, nl).split(" ");
      buffer = buffer.slice(nl + 1);
      if (cmd === "send") await sendFast(pty, Number(a));
      else if (cmd === "sink") await sink(pty, Number(a));
      else if (cmd === "paced") await sendPaced(pty, Number(a), Number(b));
      else if (cmd === "echo") await echo(pty, Number(a));
      else if (cmd === "quit") {
        pty.close();
        return;
      }
      await say("done");
    }
  }
  pty.close();
}

async function sendFast(pty: PtyPair, total: number): Promise<void> {
  const chunk = new Uint8Array(65536).fill(0x55);
  for (let sent = 0; sent < total; sent += chunk.length) {
    await pty.write(chunk.subarray(0, Math.min(chunk.length, total - sent)));
  }
}

async function sink(pty: PtyPair, total: number): Promise<void> {
  for (let got = 0; got < total;) got += (await pty.read(5000)).length;
}

async function echo(pty: PtyPair, total: number): Promise<void> {
  for (let got = 0; got < total;) {
    const chunk = await pty.read(5000);
    got += chunk.length;
    await pty.write(chunk);
  }
}

async function sendPaced(pty: PtyPair, rate: number, seconds: number): Promise<void> {
  const total = rate * seconds;
  const chunk = new Uint8Array(total).fill(0xaa);
  const start = performance.now();
  let sent = 0;
  while (sent < total) {
    const due = Math.min(total, Math.floor((performance.now() - start) / 1000 * rate));
    if (due > sent) {
      await pty.write(chunk.subarray(sent, due));
      sent = due;
    }
    await new Promise((r) => setTimeout(r, 1));
  }
}

/** The parent's handle on a pacer process and the port opened on its pty. */
interface Rig {
  port: Transport;
  command(line: string): Promise<void>;
  close(): Promise<void>;
}

async function rig(): Promise<Rig> {
  const child = new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", "--no-check", new URL(import.meta.url).pathname, "--pacer"],
    stdin: "piped",
    stdout: "piped",
  }).spawn();
  const input = child.stdin.getWriter();
  const output = child.stdout.pipeThrough(new TextDecoderStream()).getReader();
  let pending = "";
  const nextLine = async (): Promise<string> => {
    while (!pending.includes("\n")) {
      const { value, done } = await output.read();
      if (done) throw new Error("the pacer ended");
      pending += value;
    }
    const nl = pending.indexOf("\n");
    const line = pending.slice(0, nl);
    pending = pending.slice(nl + 1);
    return line;
  };
  const port = await openLinuxSerial(await nextLine(), { baudRate: 921600, lockFile: "off" });
  return {
    port,
    async command(line) {
      await input.write(new TextEncoder().encode(line + "\n"));
      if ((await nextLine()) !== "done") throw new Error("the pacer is confused");
    },
    async close() {
      await port.close();
      await input.write(new TextEncoder().encode("quit\n"));
      await input.close();
      output.releaseLock();
      await child.stdout.cancel().catch(() => {});
      await child.status;
    },
  };
}

async function drainBytes(port: Transport, total: number): Promise<void> {
  const reader = port.readable.getReader();
  for (let got = 0; got < total;) {
    const { value, done } = await reader.read();
    if (done) throw new Error("the port closed early");
    got += value.length;
  }
  reader.releaseLock();
}

/** Round trips of `size` bytes through the echoing pacer: p50 and p99 in microseconds. */
async function roundTrips(r: Rig, size: number, count: number): Promise<[number, number]> {
  const done = r.command(`echo ${size * count}`);
  const reader = r.port.readable.getReader();
  const request = new Uint8Array(size).fill(0xc0);
  const times: number[] = [];
  for (let i = 0; i < count; i++) {
    const t0 = performance.now();
    await r.port.write(request);
    for (let got = 0; got < size;) got += (await reader.read()).value?.length ?? size;
    times.push((performance.now() - t0) * 1000);
  }
  reader.releaseLock();
  await done;
  times.sort((a, b) => a - b);
  return [times[Math.floor(count / 2)]!, times[Math.floor(count * 0.99)]!];
}

/** One measurement: bytes moved, wall time and CPU used by this process. */
export interface Figure {
  /** What was measured. */
  name: string;
  /** MiB/s over the wall time. */
  mibPerSecond: number;
  /** CPU time (user + system, all threads) as % of one core over the wall time. */
  cpuPercent: number;
}

async function measure(name: string, bytes: number, work: () => Promise<unknown>): Promise<Figure> {
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  await work();
  const wallMs = performance.now() - t0;
  const cpu = process.cpuUsage(cpu0);
  return {
    name,
    mibPerSecond: bytes / (1 << 20) / (wallMs / 1000),
    cpuPercent: (cpu.user + cpu.system) / 1000 / wallMs * 100,
  };
}

/**
 * Measures receive and send at full speed, receive paced at 921600 baud, and the round-trip
 * time of a 40-byte request answered by the pacer.
 *
 * @returns the figures
 */
export async function serialFigures(): Promise<
  { figures: Figure[]; roundTripUs: [number, number] }
> {
  const r = await rig();
  try {
    const total = 32 << 20;
    const figures = [
      await measure(
        "receive, full speed (32 MiB)",
        total,
        () => Promise.all([drainBytes(r.port, total), r.command(`send ${total}`)]),
      ),
      await measure(
        "send, full speed (32 MiB)",
        total,
        () => Promise.all([r.port.write(new Uint8Array(total)), r.command(`sink ${total}`)]),
      ),
      await measure(
        `receive, paced at 921600 baud (${PACED_RATE} B/s for ${PACED_SECONDS} s)`,
        PACED_RATE * PACED_SECONDS,
        () =>
          Promise.all([
            drainBytes(r.port, PACED_RATE * PACED_SECONDS),
            r.command(`paced ${PACED_RATE} ${PACED_SECONDS}`),
          ]),
      ),
    ];
    const roundTripUs = await roundTrips(r, 40, 2000);
    return { figures, roundTripUs };
  } finally {
    await r.close();
  }
}

function report({ figures, roundTripUs }: Awaited<ReturnType<typeof serialFigures>>): void {
  // deno-lint-ignore no-console
  console.log(
    `40-byte round trip through the echoing pacer: p50 ${roundTripUs[0].toFixed(0)} µs, ` +
      `p99 ${roundTripUs[1].toFixed(0)} µs`,
  );
  for (const f of figures) {
    // deno-lint-ignore no-console
    console.log(
      `${f.name}: ${f.mibPerSecond.toFixed(2)} MiB/s, CPU ${f.cpuPercent.toFixed(1)} % of one core`,
    );
  }
  const paced = figures[figures.length - 1]!;
  const met = paced.cpuPercent < CPU_GOAL_PERCENT;
  // deno-lint-ignore no-console
  console.log(
    `goal: under ${CPU_GOAL_PERCENT} % of one core receiving at 921600: ${
      met ? "met" : "NOT MET"
    } (${paced.cpuPercent.toFixed(1)} %)`,
  );
  if (!met) process.exitCode = 1;
}

/** The goal for the paced 921600 figure (a shared machine can miss it; rerun to check). */
const CPU_GOAL_PERCENT = 5;

// `import.meta.main` is false under `deno bench`, true under `deno run`.
if (import.meta.main && Deno.args[0] === "--pacer") await pacer();
else if (import.meta.main && Deno.build.os === "linux") report(await serialFigures());

Deno.bench({
  name: "serial: CPU and throughput figures (printed)",
  ignore: Deno.build.os !== "linux",
  n: 1,
  warmup: 0,
  async fn() {
    report(await serialFigures());
  },
});
