/**
 * docs/benchmarks.md is shared by several benchmarks: each one owns a section between two
 * marker comments and rewrites only that, keeping everything else in the file as it is.
 *
 * @module
 */

/** The machine a benchmark ran on, for the record. */
export interface MachineFacts {
  /** ISO date and time. */
  date: string;
  /** CPU model and the number of cores. */
  cpu: string;
  /** Load averages (1, 5, 15 minutes) when the run started and ended. */
  load: { start: string; end: string };
  /** Tool versions. */
  versions: string;
}

/**
 * The load averages now, as `/proc/loadavg` gives them.
 *
 * @returns e.g. `3.10 2.95 2.40`, or `unknown`
 */
export function loadAverage(): string {
  try {
    return Deno.readTextFileSync("/proc/loadavg").split(" ").slice(0, 3).join(" ");
  } catch {
    return "unknown";
  }
}

/**
 * What the machine is.
 *
 * @param startLoad the load averages when the run started
 * @param versions tool versions
 * @returns the facts
 */
export function machineFacts(startLoad: string, versions: string): MachineFacts {
  let cpu = "unknown CPU";
  try {
    const info = Deno.readTextFileSync("/proc/cpuinfo");
    const model = /model name\s*:\s*(.+)/.exec(info)?.[1]?.trim();
    const cores = (info.match(/^processor\s*:/gm) ?? []).length;
    cpu = `${model ?? "unknown CPU"}, ${cores} cores`;
  } catch {
    // not Linux
  }
  return {
    date: new Date().toISOString().replace(/\.\d+Z$/, "Z"),
    cpu,
    load: { start: startLoad, end: loadAverage() },
    versions,
  };
}

/**
 * Replaces the section marked `name` in the file (appends it when absent; creates the file with
 * a title when missing). Synchronous, so a benchmark can call it while the process unloads.
 *
 * @param path the file
 * @param name the section's marker name
 * @param markdown the section's new content
 */
export function writeSection(path: string, name: string, markdown: string): void {
  const start = `<!-- ${name}:start -->`;
  const end = `<!-- ${name}:end -->`;
  let text: string;
  try {
    text = Deno.readTextFileSync(path);
  } catch {
    text =
      "# Benchmarks\n\nFigures from `deno task bench`; each section is written by its benchmark.\n";
  }
  const block = `${start}\n${markdown.trim()}\n${end}`;
  const at = text.indexOf(start);
  const until = text.indexOf(end);
  text = at >= 0 && until > at
    ? text.slice(0, at) + block + text.slice(until + end.length)
    : `${text.trimEnd()}\n\n${block}\n`;
  Deno.writeTextFileSync(path, text);
}
