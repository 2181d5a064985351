/**
 * The long fault campaign (tests/support/fault_campaign.ts): seeded runs of `nodeflash flash`
 * (through the CLI) and of esptool v4.8.1's `write_flash` (as an external program) against
 * `nodeflash sim --rfc2217` boards with the same faults at moderate rates: about one bit error
 * per 200 KB, 0.5 % of the frames lost, one brown-out or one unplug per job, and mixes. It
 * prints one table: runs, completed, recovered, clear errors, silent corruptions (must be 0),
 * hangs (must be 0), per scenario and tool, side by side, and writes it into docs/benchmarks.md
 * (its `faults` section, "Fault campaign") with the machine, its load and the date.
 *
 * - `deno bench -A tests/bench/fault_campaign_bench.ts` (or `deno task bench`).
 * - `NODEFLASH_CAMPAIGN_SEEDS` (default 1000): seeds per tool; `NODEFLASH_CAMPAIGN_ESPTOOL_SEEDS`
 *   (default the same): esptool's share, the slower one; `NODEFLASH_CAMPAIGN_ROM_SEEDS` (default
 *   100): seeds of nodeflash writing through the ROM loader (`--no-stub`, its own rows);
 *   `NODEFLASH_CAMPAIGN_AT_ONCE` (default 2): runs at once.
 * - esptool missing: only nodeflash runs, and the output says why.
 *
 * @module
 */

import { fileURLToPath } from "node:url";
import { findEsptool } from "../support/esptool.ts";
import { loadAverage, machineFacts, writeSection } from "./benchmarks_doc.ts";
import {
  BYTES_PER_BIT_ERROR,
  CAMPAIGN_IMAGE,
  type CampaignRun,
  campaignTable,
  FRAME_LOSS,
  runSeed,
  toolName,
} from "../support/fault_campaign.ts";

const count = (name: string, fallback: number) => {
  const text = Deno.env.get(name);
  const n = text === undefined ? fallback : Number(text);
  if (!Number.isInteger(n) || n < 0) throw new Error(`${name} must be a whole number`);
  return n;
};

const SEEDS = count("NODEFLASH_CAMPAIGN_SEEDS", 1000);
const ESPTOOL_SEEDS = count("NODEFLASH_CAMPAIGN_ESPTOOL_SEEDS", SEEDS);
const ROM_SEEDS = count("NODEFLASH_CAMPAIGN_ROM_SEEDS", 100);
const AT_ONCE = Math.max(1, count("NODEFLASH_CAMPAIGN_AT_ONCE", 2));
/** A run still going after this counts as a hang. */
const TIMEOUT_MS = 120_000;

const DOC = fileURLToPath(new URL("../../docs/benchmarks.md", import.meta.url));
const runs: CampaignRun[] = [];
let wallSeconds = 0;
let ran = false;
let startLoad = "unknown";

Deno.bench({
  name:
    `fault campaign: ${SEEDS} seeds of nodeflash, ${ROM_SEEDS} of nodeflash --no-stub, ${ESPTOOL_SEEDS} of esptool`,
  n: 1,
  warmup: 0,
  async fn() {
    // deno bench may call a benchmark more than once: the campaign runs the first time only
    if (ran) return;
    ran = true;
    startLoad = loadAverage();
    const started = performance.now();
    const esptool = await findEsptool();
    const dir = await Deno.makeTempDir({ prefix: "nodeflash-campaign-" });
    try {
      const image = `${dir}/fw.bin`;
      await Deno.writeFile(image, CAMPAIGN_IMAGE);
      const jobs: Array<() => Promise<CampaignRun>> = [];
      for (let seed = 1; seed <= Math.max(SEEDS, ESPTOOL_SEEDS, ROM_SEEDS); seed++) {
        if (seed <= SEEDS) {
          jobs.push(() => runSeed("nodeflash", seed, { image, dir, timeoutMs: TIMEOUT_MS }));
        }
        if (seed <= ROM_SEEDS) {
          const options = { image, dir, timeoutMs: TIMEOUT_MS, loader: "rom" as const };
          jobs.push(() => runSeed("nodeflash", seed, options));
        }
        if (seed <= ESPTOOL_SEEDS && !("skip" in esptool)) {
          jobs.push(() => runSeed("esptool", seed, { image, dir, timeoutMs: TIMEOUT_MS, esptool }));
        }
      }
      if ("skip" in esptool) {
        // deno-lint-ignore no-console -- a benchmark explains what it skips
        console.log(`esptool runs skipped: ${esptool.skip}`);
      }
      const work = async () => {
        for (let job = jobs.shift(); job !== undefined; job = jobs.shift()) runs.push(await job());
      };
      await Promise.all(Array.from({ length: AT_ONCE }, work));
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
    wallSeconds = (performance.now() - started) / 1000;
  },
});

globalThis.addEventListener("unload", () => {
  if (!ran) return;
  const sorted = [...runs].sort((a, b) =>
    a.seed - b.seed || toolName(a).localeCompare(toolName(b))
  );
  const failures = sorted.filter((r) => r.tool === "nodeflash" && r.outcome !== "completed")
    .map((r) => `- ${toolName(r)}, seed ${r.seed} (\`${r.faults}\`): ${r.outcome}: ${r.detail}`);
  const count = (tool: string) => runs.filter((r) => toolName(r) === tool).length;
  const facts = machineFacts(startLoad, `Deno ${Deno.version.deno}, esptool v4.8.1`);
  const doc = [
    "## Fault campaign (issue 15): finishing the job through faults, against esptool v4.8.1",
    "",
    `Run ${facts.date} on ${facts.cpu}; load average ${facts.load.start} at the start, ${facts.load.end} at the end (a machine shared with other work), ${
      (wallSeconds / 60).toFixed(0)
    } min with ${AT_ONCE} runs at once. ${facts.versions}.`,
    "",
    `Reproduce: \`deno task bench\` (or \`deno bench -A tests/bench/fault_campaign_bench.ts\`); \`NODEFLASH_CAMPAIGN_SEEDS\` (here ${
      count("nodeflash")
    }) and \`NODEFLASH_CAMPAIGN_ESPTOOL_SEEDS\` (here ${
      count("esptool")
    }) set the seeds per tool, \`NODEFLASH_CAMPAIGN_ROM_SEEDS\` (here ${
      count("nodeflash --no-stub")
    }) those of nodeflash writing through the ROM loader (\`--no-stub\`: 1 KiB blocks at the rate the ROM synced at, 460800 here, no compression, no MD5). Each run flashes a 400 KiB NodeMCU-like image (${CAMPAIGN_IMAGE.length} bytes) at 460800 baud onto a fresh board of \`nodeflash sim --rfc2217\` (time model instant) with the seed's faults, and is judged on the board's flash file: a bit error per ${
      BYTES_PER_BIT_ERROR.toLocaleString("en")
    } bytes (\`line\`), ${
      FRAME_LOSS * 100
    } % of the frames lost (\`drops\`), one brown-out at a random page (\`brown-out\`), the cable out once for 0.3-1.5 s at a random byte (\`unplug\`), or line and drops with a brown-out or an unplug (\`mix\`); tests/support/fault_campaign.ts has the details. nodeflash runs with its defaults (\`--retries 5\`, \`--reconnect-wait 5\`); esptool with its own. A run that is still going after ${
      TIMEOUT_MS / 1000
    } s is a hang.`,
    "",
    campaignTable(sorted),
    "",
    ...(failures.length > 0
      ? ["nodeflash runs that did not complete:", "", ...failures]
      : ["Every nodeflash run completed."]),
  ].join("\n");
  // deno-lint-ignore no-console -- the benchmark's figures
  console.log(`\n${doc}\n`);
  writeSection(DOC, "faults", doc);
});
