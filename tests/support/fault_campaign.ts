/**
 * The fault campaign shared by `tests/fault_campaign_test.ts` (a few dozen seeds) and
 * `tests/bench/fault_campaign_bench.ts` (1,000 by default): seeded runs of a flashing tool
 * against `nodeflash sim --rfc2217` (the CLI's own `sim` command, run in this process) whose
 * board injects faults at moderate rates, each run judged on the board's flash file afterwards.
 *
 * Scenarios, one per seed in turn (the seed also seeds the board's random choices):
 *
 * | scenario  | faults                                                                    |
 * | --------- | ------------------------------------------------------------------------- |
 * | line      | `corrupt=0.000005`: a bit flipped per 200,000 bytes on the wire, both ways |
 * | drops     | `drop=0.005`: 0.5 % of the frames lost, both ways                          |
 * | brown-out | `brownout=N`: the supply dips once, at a random page program of the image  |
 * | unplug    | `unplug=N,replug=MS`: the cable out once, at a random byte, for 0.3-1.5 s  |
 * | mix       | line and drops together, plus a brown-out or an unplug                     |
 *
 * Both tools work at 460800 baud and leave the board in the loader (`--after no-reset`). A run
 * ends `completed` (exit 0
 * and the flash holds the image byte for byte),
 * `clear-error` (exit non-zero with the tool's error message), `unclear-error` (exit non-zero
 * without one: a crash, a traceback), `silent-corruption` (exit 0 but wrong bytes: must never
 * happen) or `hang` (still running after the time limit; stopped).
 *
 * @module
 */

import { main } from "../../lib/cli/main.ts";
import { buildNodemcuFirmware } from "../../lib/testing/nodemcu_firmware.ts";
import { seededRandom } from "../../lib/sim/faults.ts";

/** The image every run writes: a 400 KiB NodeMCU-like firmware (compresses as a real one). */
export const CAMPAIGN_IMAGE: Uint8Array = buildNodemcuFirmware({}).combined;

/** The scenarios, in the order seeds take them. */
export const SCENARIOS = ["line", "drops", "brown-out", "unplug", "mix"] as const;

/** One scenario. */
export type Scenario = typeof SCENARIOS[number];

/** A bit error per this many bytes on the wire. */
export const BYTES_PER_BIT_ERROR = 200_000;
/** The share of frames lost. */
export const FRAME_LOSS = 0.005;

/** How a run ended. */
export type Outcome =
  | "completed"
  | "clear-error"
  | "unclear-error"
  | "silent-corruption"
  | "hang";

/** One run. */
export interface CampaignRun {
  tool: "nodeflash" | "esptool";
  /** The loader that wrote (`rom`: nodeflash `--no-stub`); esptool uses its stub. */
  loader: "stub" | "rom";
  seed: number;
  scenario: Scenario;
  faults: string;
  outcome: Outcome;
  /** Recoveries the tool reported (nodeflash's result), when it says. */
  recoveries: number | undefined;
  /** The error's first line, for a failed run. */
  detail: string;
  seconds: number;
}

/**
 * The scenario and fault spec of a seed.
 *
 * @param seed the seed
 * @returns the scenario and its `--faults` value
 */
export function faultsFor(seed: number): { scenario: Scenario; faults: string } {
  const scenario = SCENARIOS[seed % SCENARIOS.length]!;
  const random = seededRandom(seed * 7919 + 17);
  const pages = Math.ceil(CAMPAIGN_IMAGE.length / 256);
  const line = `corrupt=${1 / BYTES_PER_BIT_ERROR}`;
  const drops = `drop=${FRAME_LOSS}`;
  const brownout = () => `brownout=${1 + Math.floor(random() * pages)}`;
  // past the connection (the stub upload is about 13 KB) and before the compressed image ends
  const unplug = () =>
    `unplug=${20_000 + Math.floor(random() * 180_000)},replug=${300 + Math.floor(random() * 1200)}`;
  const faults = {
    line: () => line,
    drops: () => drops,
    "brown-out": brownout,
    unplug,
    mix: () => [line, drops, random() < 0.5 ? brownout() : unplug()].join(","),
  }[scenario]();
  return { scenario, faults };
}

/**
 * Judges a run by the board's flash.
 *
 * @param code the tool's exit code (`undefined`: it was stopped after the time limit)
 * @param flash the board's flash afterwards
 * @param clear whether a failed run said what failed
 * @returns the outcome
 */
export function judge(
  code: number | undefined,
  flash: Uint8Array,
  clear: boolean,
): Outcome {
  if (code === undefined) return "hang";
  const image = CAMPAIGN_IMAGE;
  // Only the image's bytes: a board that restarted half way (a brown-out, the cable back in)
  // boots what it holds, and NodeMCU writes its init data and formats its file system.
  const holds = image.every((b, i) => flash[i] === b);
  if (code === 0) return holds ? "completed" : "silent-corruption";
  return clear ? "clear-error" : "unclear-error";
}

/** Where esptool is. */
export interface EsptoolPath {
  python: string;
  path: string;
}

/** Options for {@link runSeed}. */
export interface RunSeedOptions {
  /** The image file to write (CAMPAIGN_IMAGE). */
  image: string;
  /** A directory for the board's flash file. */
  dir: string;
  /** Longest a run may take before it counts as a hang, ms. */
  timeoutMs: number;
  /** esptool, for `tool: "esptool"`. */
  esptool?: EsptoolPath;
  /** `rom`: nodeflash writes through the ROM loader (`--no-stub`); `stub` by default. */
  loader?: "stub" | "rom";
}

/**
 * One seeded run of one tool.
 *
 * @param tool which tool
 * @param seed the seed
 * @param options files, time limit, esptool
 * @returns the run
 */
export async function runSeed(
  tool: "nodeflash" | "esptool",
  seed: number,
  options: RunSeedOptions,
): Promise<CampaignRun> {
  const { scenario, faults } = faultsFor(seed);
  // one file per run: the stub and ROM runs of a seed may be served at the same time
  const flashFile = `${options.dir}/flash-${tool}-${options.loader ?? "stub"}-${seed}.bin`;
  const started = performance.now();
  const board = await serveBoard(seed, faults, flashFile);
  let ended: { code: number | undefined; clear: boolean; detail: string; recoveries?: number };
  try {
    ended = tool === "nodeflash"
      ? await runNodeflash(board.url, options)
      : await runEsptool(board.url, options);
  } catch (error) {
    await board.stop();
    throw error;
  }
  // the board's flash, as the simulator saved it when it stopped
  const flash = await board.stop();
  await Deno.remove(flashFile).catch(() => {});
  return {
    tool,
    loader: options.loader ?? "stub",
    seed,
    scenario,
    faults,
    outcome: judge(ended.code, flash, ended.clear),
    recoveries: ended.recoveries,
    detail: ended.detail,
    seconds: (performance.now() - started) / 1000,
  };
}

/** A fresh, erased 4 MB board for every run, served by `nodeflash sim --rfc2217` in-process. */
async function serveBoard(seed: number, faults: string, flashFile: string) {
  await Deno.writeFile(flashFile, new Uint8Array(4 << 20).fill(0xff));
  const stopper = new AbortController();
  let out = "";
  let err = "";
  let listening: (url: string) => void = () => {};
  const url = new Promise<string>((resolve) => listening = resolve);
  const args = [
    "sim",
    "--rfc2217",
    "127.0.0.1:0",
    "--seed",
    String(seed),
    "--faults",
    faults,
    "--flash-file",
    flashFile,
  ];
  const running = main(args, {
    stdout: (t) => {
      out += t;
      const m = /^listening (\S+)\n/.exec(out);
      if (m) listening(m[1]!);
    },
    stderr: (t) => err += t,
    stderrIsTerminal: false,
    env: () => undefined,
    signal: stopper.signal,
  });
  const failed = running.then((code) => {
    throw new Error(`nodeflash sim ended (${code}) before listening: ${err}`);
  });
  const served = await Promise.race([url, failed]);
  failed.catch(() => {});
  return {
    url: served,
    async stop(): Promise<Uint8Array> {
      stopper.abort();
      await running;
      return await Deno.readFile(flashFile);
    },
  };
}

async function runNodeflash(url: string, options: RunSeedOptions) {
  let out = "";
  let err = "";
  const stopper = new AbortController();
  const timer = setTimeout(() => stopper.abort(), options.timeoutMs);
  // 460800 baud as esptool is given: the same line, the same bytes at risk
  const args = [
    "flash",
    "--port",
    url,
    "--baud",
    "460800",
    "--flash-size",
    "keep",
    "--after",
    "no-reset",
    "--json",
    ...(options.loader === "rom" ? ["--no-stub"] : []),
  ];
  const code = await main([...args, options.image], {
    stdout: (t) => out += t,
    stderr: (t) => err += t,
    stderrIsTerminal: false,
    env: () => undefined,
    signal: stopper.signal,
  });
  clearTimeout(timer);
  const result = out.trim().split("\n").map((l) => JSON.parse(l)).at(-1) ?? {};
  const error = /^error: (.*)$/m.exec(err)?.[1] ?? "";
  const hint = /^hint: /m.test(err);
  return {
    code: stopper.signal.aborted ? undefined : code,
    clear: error !== "" && hint,
    detail: code === 0 ? "" : error,
    recoveries: typeof result.recoveries === "number" ? result.recoveries : undefined,
  };
}

async function runEsptool(url: string, options: RunSeedOptions) {
  const where = options.esptool;
  if (where === undefined) throw new Error("esptool was not found");
  const child = new Deno.Command(where.python, {
    args: [
      where.path,
      "--chip",
      "esp8266",
      "--port",
      url,
      "--baud",
      "460800",
      "--after",
      "no_reset",
      "write_flash",
      "--flash_size",
      "keep",
      "0x0",
      options.image,
    ],
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  let hung = false;
  const timer = setTimeout(() => {
    hung = true;
    child.kill("SIGKILL");
  }, options.timeoutMs);
  const output = await child.output();
  clearTimeout(timer);
  const text = new TextDecoder().decode(output.stdout) + new TextDecoder().decode(output.stderr);
  const fatal = /A fatal error occurred: (.*)/.exec(text)?.[1];
  const traceback = /Traceback \(most recent call last\)[^]*\n(\w+.*)\s*$/.exec(text)?.[1];
  return {
    code: hung ? undefined : output.code,
    clear: fatal !== undefined,
    detail: output.code === 0 ? "" : (fatal ?? traceback ?? text.trim().split("\n").at(-1) ?? ""),
  };
}

/** The counts of one row of the table. */
export interface Tally {
  runs: number;
  completed: number;
  recovered: number;
  clearErrors: number;
  unclearErrors: number;
  silentCorruptions: number;
  hangs: number;
}

/**
 * Counts outcomes.
 *
 * @param runs the runs
 * @returns the tally
 */
export function tally(runs: readonly CampaignRun[]): Tally {
  const count = (o: Outcome) => runs.filter((r) => r.outcome === o).length;
  return {
    runs: runs.length,
    completed: count("completed"),
    recovered: runs.filter((r) => r.outcome === "completed" && (r.recoveries ?? 0) > 0).length,
    clearErrors: count("clear-error"),
    unclearErrors: count("unclear-error"),
    silentCorruptions: count("silent-corruption"),
    hangs: count("hang"),
  };
}

const pct = (n: number, of: number) => of === 0 ? "-" : `${(100 * n / of).toFixed(1)} %`;

/**
 * The name of a run's tool in the table: `nodeflash --no-stub` for the ROM loader.
 *
 * @param run the run
 * @returns the name
 */
export function toolName(run: Pick<CampaignRun, "tool" | "loader">): string {
  return run.loader === "rom" ? `${run.tool} --no-stub` : run.tool;
}

/**
 * The table: one row per tool (and loader) and scenario, and a total per tool (Markdown).
 *
 * @param runs every run
 * @returns the table
 */
export function campaignTable(runs: readonly CampaignRun[]): string {
  const rows = [
    "| tool | scenario | runs | completed | recovered | clear errors | other errors | silent corruptions | hangs |",
    "| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
  ];
  for (const tool of ["nodeflash", "nodeflash --no-stub", "esptool"]) {
    const mine = runs.filter((r) => toolName(r) === tool);
    if (mine.length === 0) continue;
    for (const scenario of [...SCENARIOS, "all"] as const) {
      const some = scenario === "all" ? mine : mine.filter((r) => r.scenario === scenario);
      const t = tally(some);
      const recovered = tool === "esptool" ? "-" : String(t.recovered);
      const name = scenario === "all" ? "**all**" : scenario;
      rows.push(
        `| ${tool} | ${name} | ${t.runs} | ${t.completed} (${
          pct(t.completed, t.runs)
        }) | ${recovered} | ${t.clearErrors} | ${t.unclearErrors} | ${t.silentCorruptions} | ${t.hangs} |`,
      );
    }
  }
  return rows.join("\n");
}
