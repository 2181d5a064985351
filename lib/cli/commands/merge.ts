/**
 * `nodeflash merge -o OUT ADDRESS FILE [ADDRESS FILE ...]` (esptool's `merge_bin`): files at
 * their addresses into one image padded with 0xFF, for a single write at 0x0.
 *
 * @module
 */

import { hex32 } from "../../protocol/mod.ts";
import {
  mergeImages,
  parseFlashFreq,
  parseFlashMode,
  parseFlashSize,
  parseFlashSizeSetting,
} from "../../image/mod.ts";
import { userError } from "../../../mod.ts";
import type { Command } from "../command.ts";
import { parseNumberArg, readUserFile, writeUserFile } from "../values.ts";

/** The `merge` command. */
export const mergeCommand: Command = {
  name: "merge",
  aliases: ["merge_bin", "merge-bin"],
  summary: "combine files at their addresses into one image (no board needed)",
  usage: "merge -o OUT ADDRESS FILE [ADDRESS FILE ...]",
  help: `Example: nodeflash merge -o nodemcu.bin 0x00000 0x00000.bin 0x10000 0x10000.bin`,
  options: {
    output: { type: "string", short: "o", valueName: "OUT", description: "the file to write" },
    "pad-to": {
      type: "string",
      valueName: "SIZE",
      description: "pad with 0xFF up to a flash size (e.g. 4MB)",
    },
    "flash-mode": {
      type: "string",
      valueName: "MODE",
      description: "patch the header at 0x0 (keep by default)",
    },
    "flash-size": {
      type: "string",
      valueName: "SIZE",
      description: "patch the header at 0x0 (keep by default)",
    },
    "flash-freq": {
      type: "string",
      valueName: "FREQ",
      description: "patch the header at 0x0 (keep by default)",
    },
  },
  async run(ctx) {
    const out = ctx.options.output;
    if (typeof out !== "string") {
      throw userError(
        "input/usage",
        "merge needs -o OUT",
        "Run: nodeflash merge -o out.bin 0x0 a.bin 0x10000 b.bin",
      );
    }
    const p = ctx.positionals;
    if (p.length === 0 || p.length % 2 !== 0) {
      throw userError(
        "input/usage",
        "merge takes ADDRESS FILE pairs",
        "Example: nodeflash merge -o out.bin 0x0 a.bin 0x10000 b.bin",
      );
    }
    const str = (k: string) =>
      typeof ctx.options[k] === "string" ? ctx.options[k] as string : undefined;
    const mode = parseFlashMode(str("flash-mode") ?? "keep", { allow: ["keep"] });
    const onNote = (note: string) => ctx.out.note(note, "input/megabit-size");
    const size = parseFlashSizeSetting(str("flash-size") ?? "keep", { allow: ["keep"], onNote });
    const freq = parseFlashFreq(str("flash-freq") ?? "keep", { allow: ["keep"] });
    const padTo = str("pad-to");
    const parts = [];
    for (let i = 0; i < p.length; i += 2) {
      const address = parseNumberArg(p[i]!, "address");
      parts.push({ address, name: p[i + 1]!, data: await readUserFile(p[i + 1]!) });
    }
    const merged = mergeImages(parts, {
      flashMode: mode,
      flashSize: size,
      flashFreq: freq,
      ...(padTo !== undefined ? { padTo: parseFlashSize(padTo, { onNote }).name } : {}),
    });
    await writeUserFile(out, merged.data);
    ctx.out.info(
      `Wrote ${out}: ${merged.data.length} bytes for ${
        hex32(merged.baseAddress)
      } from ${parts.length} files`,
    );
    if (merged.headerPatch?.outcome === "unchanged" && merged.headerPatch.skip !== "all-keep") {
      ctx.out.warn(`the header at 0x0 was not patched: ${merged.headerPatch.reason}`);
    }
    ctx.out.result({
      ok: true,
      output: out,
      size: merged.data.length,
      baseAddress: merged.baseAddress,
      parts: parts.map((x) => ({ name: x.name, address: x.address, size: x.data.length })),
    });
    return 0;
  },
};
