/**
 * Finds the error, warning and note codes the source uses: every string literal of the form
 * `area/what` in lib/ and action/ (tests, benchmarks and comments left out), and every code built
 * at run time (a template literal such as `` `input/${name}` ``), with where each one is.
 */

import { dirname, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";

/** The repository's root. */
export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "../..");

/** One place a code appears. */
export interface CodeSite {
  /** The code, or the template literal's text (`input/${name}`). */
  code: string;
  /** File, relative to the root. */
  file: string;
  /** 1-based line. */
  line: number;
  /** How it is raised, when the line says: `userError` or `deviceError`. */
  raisedAs?: "user" | "device";
  /** A code built at run time. */
  dynamic: boolean;
}

/** Strings of the code shape that are not codes. */
export const NOT_CODES = new Set(["application/octet-stream"]);

const LITERAL = /(["'`])([a-z][a-z0-9]*\/[a-z0-9][a-z0-9-]*)\1/g;
const TEMPLATE = /`([a-z][a-z0-9]*\/\$\{[^}`]+\})`/g;
const RAISED_TEMPLATE = /(?:userError|deviceError)\(\s*`(\$\{[^}`]+\}\/\$\{[^}`]+\})`/g;

async function* sourceFiles(dir: string): AsyncGenerator<string> {
  for await (const entry of Deno.readDir(dir)) {
    const full = join(dir, entry.name);
    if (entry.isDirectory) {
      // the table itself (its prose quotes codes), and the smoke test's scripted test board
      if (entry.name === "error_codes" || full.endsWith("smoke/testing")) continue;
      if (entry.name.startsWith(".")) continue;
      yield* sourceFiles(full);
    } else if (/(?<!_test|_bench)\.ts$/.test(entry.name)) {
      yield full;
    }
  }
}

/** Whether a line is a comment or an import/export of modules. */
function skipLine(line: string): boolean {
  const t = line.trim();
  return t.startsWith("*") || t.startsWith("//") || t.startsWith("/*") ||
    /^(import|export)\b.*\bfrom\s/.test(t) || /^\}\s*from\s/.test(t);
}

/**
 * Scans one source text.
 *
 * @param file its path relative to the root
 * @param source its text
 * @returns the code sites
 */
export function scanSource(file: string, source: string): CodeSite[] {
  const sites: CodeSite[] = [];
  const lines = source.split("\n");
  lines.forEach((text, i) => {
    if (skipLine(text)) return;
    // The call that raises it may be on this line or the line before (a wrapped call).
    const context = `${lines[i - 1] ?? ""}\n${text}`;
    const raisedAs = /userError\(\s*$|userError\(\s*["'`]/.test(context)
      ? "user"
      : /deviceError\(\s*$|deviceError\(\s*["'`]/.test(context)
      ? "device"
      : undefined;
    for (const m of text.matchAll(LITERAL)) {
      const code = m[2]!;
      if (NOT_CODES.has(code)) continue;
      sites.push({ code, file, line: i + 1, dynamic: false, ...(raisedAs ? { raisedAs } : {}) });
    }
    for (const m of text.matchAll(TEMPLATE)) {
      sites.push({ code: m[1]!, file, line: i + 1, dynamic: true });
    }
    for (const m of context.matchAll(RAISED_TEMPLATE)) {
      if (text.includes(`\`${m[1]!}\``)) {
        sites.push({ code: m[1]!, file, line: i + 1, dynamic: true });
      }
    }
  });
  return sites;
}

/**
 * Scans lib/ and action/.
 *
 * @returns every code site
 */
export async function scanCodes(): Promise<CodeSite[]> {
  const sites: CodeSite[] = [];
  for (const dir of ["lib", "action"]) {
    for await (const path of sourceFiles(join(ROOT, dir))) {
      sites.push(...scanSource(relative(ROOT, path), await Deno.readTextFile(path)));
    }
  }
  return sites;
}

if (import.meta.main) {
  for (const s of await scanCodes()) {
    // deno-lint-ignore no-console -- a listing for people
    console.log(`${s.code}\t${s.raisedAs ?? ""}\t${s.file}:${s.line}`);
  }
}
