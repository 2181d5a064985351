/**
 * docs/errors.md, written from the error-code table: one section per area, one row per code.
 *
 * @module
 */

import type { ErrorCode } from "./error_code.ts";

/** Areas in the order of the table, with a line saying what each is about. */
const AREAS: Record<string, string> = {
  connect: "Reaching the ROM loader: reset, sync, boot mode.",
  chip: "Identifying the chip.",
  stub: "The flasher stub: starting it, and the statuses it answers.",
  flash: "Writing and verifying the flash.",
  read: "Reading the flash.",
  after: "Leaving the board: resetting into the new firmware.",
  rom: "The ROM loader: the statuses it answers, and writing without the stub.",
  tcp: "Raw TCP ports.",
  erase: "Erasing.",
  protocol: "Commands and replies.",
  port: "Opening and using the port.",
  transport: "Port strings and what the transport reports.",
  rfc2217: "RFC 2217 servers.",
  image: "Firmware images.",
  input: "Bad input: options, arguments, the Action's inputs.",
  cli: "The command line.",
  output: "Where nodeflash writes.",
  internal: "Bugs.",
  smoke: "The smoke test's diagnoses (docs/troubleshooting.md explains each).",
  release: "Firmware from GitHub releases.",
  sim: "The simulated board.",
};

function cell(text: string): string {
  return text.replaceAll("|", "\\|").replaceAll("\n", " ");
}

/**
 * The Markdown of docs/errors.md.
 *
 * @param rows the table
 * @returns the document
 *
 * @example
 * ```ts
 * import { errorsMarkdown } from "./errors_markdown.ts";
 * import assert from "node:assert/strict";
 * const md = errorsMarkdown([{ code: "port/busy", kind: "device", meaning: "Busy.", hint: "Wait." }]);
 * assert.match(md, /\| `port\/busy` \| device \| Busy\. \| Wait\. \|/);
 * ```
 */
export function errorsMarkdown(rows: readonly ErrorCode[]): string {
  const byArea = new Map<string, ErrorCode[]>();
  for (const row of rows) {
    const area = row.code.split("/")[0]!;
    byArea.set(area, [...byArea.get(area) ?? [], row]);
  }
  const out = [
    "# Error codes",
    "",
    "<!-- Generated from lib/error_codes/ by `deno task errors-doc`; edit the table there. -->",
    "",
    "Every error nodeflash reports has a stable code (`area/what`), a kind and a hint. A `user`",
    "error is bad input or usage (exit code 2); a `device` error is the board, the cable, the",
    "port or the network (exit code 1). Warnings and notes do not stop the job; with `--json`",
    "they are `warning` and `note` objects carrying the same codes. The message of each error",
    "names what failed on what, and its own hint may be more precise than the general one here.",
    "When a board does not boot or connect, [troubleshooting.md](troubleshooting.md) explains",
    "what to look at.",
    "",
  ];
  for (const [area, list] of byArea) {
    out.push(`## ${area}/`, "", AREAS[area] ?? "", "");
    out.push("| Code | Kind | Meaning | What to do |", "| --- | --- | --- | --- |");
    for (const row of list) {
      const see = row.troubleshooting === undefined
        ? ""
        : ` See [troubleshooting](troubleshooting.md#${row.troubleshooting}).`;
      out.push(
        `| \`${row.code}\` | ${row.kind} | ${cell(row.meaning)} | ${cell(row.hint)}${see} |`,
      );
    }
    out.push("");
  }
  return out.join("\n");
}
