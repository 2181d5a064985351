/**
 * The Action's inputs: the names `action.yml` declares, the environment variables the composite
 * step passes them through (`NODEFLASH_INPUT_<NAME>`, since composite actions get no `INPUT_*`),
 * and a pure parser from those strings to a typed configuration. Every error names its input.
 *
 * @module
 */

import {
  type BaudSetting,
  type FlashMode,
  type FlashSizeName,
  isNodeflashError,
  parseFlashMode,
  parseFlashSizeSetting,
  parseReleaseRef,
  userError,
} from "../mod.ts";

/** Every input of `action.yml`, in the order it declares them. */
export const INPUT_NAMES = [
  "repository",
  "release",
  "firmware",
  "init-data",
  "ports",
  "baud",
  "flash-mode",
  "flash-size",
  "erase",
  "smoke",
  "smoke-timeout",
  "lua",
  "expect",
  "token",
] as const;

/** One input's name. */
export type InputName = typeof INPUT_NAMES[number];

/** Which release the firmware comes from; `triggering` is the `release` event of the run. */
export type ReleaseChoice =
  | { kind: "latest" }
  | { kind: "tag"; tag: string }
  | { kind: "id"; id: number }
  | { kind: "triggering" };

/** A file to flash: a release asset (by glob) or a file in the workspace. */
export type FileSource = { kind: "asset"; glob: string } | { kind: "path"; path: string };

/** Init data: none, the SDK's default bytes, or a file from the release or the workspace. */
export type InitDataSource = { kind: "none" } | { kind: "default" } | FileSource;

/** The boards: every likely ESP port of this machine, or the listed ones. */
export type PortsChoice = { kind: "auto" } | { kind: "list"; ports: string[] };

/** The Action's configuration, parsed from its inputs. */
export interface ActionConfig {
  /** `owner/repo`; `undefined` when the input is empty (the release event then names it). */
  repository: string | undefined;
  /** Which release. */
  release: ReleaseChoice;
  /** The firmware, written at 0x0. */
  firmware: FileSource;
  /** Init data at flash size - 0x4000. */
  initData: InitDataSource;
  /** Which boards. */
  ports: PortsChoice;
  /** Working baud rate once the stub runs: `auto` (the fastest that works) or a rate. */
  baud: BaudSetting;
  /** Flash mode written into the image header. */
  flashMode: FlashMode | "keep";
  /** Flash size written into the image header. */
  flashSize: FlashSizeName | "detect" | "keep";
  /** `all` erases each chip before writing. */
  erase: "none" | "all";
  /** Whether to run the smoke test after flashing. */
  smoke: "on" | "off";
  /** Boot-to-prompt limit of the smoke test, milliseconds. */
  smokeTimeoutMs: number;
  /** An extra probe: one line of Lua and what its output must match. */
  probe: { lua: string; expect: RegExp } | undefined;
  /** GitHub token; empty for anonymous requests. */
  token: string;
}

/** The smoke test's boot-to-prompt limit when the input is empty, seconds. */
export const DEFAULT_SMOKE_TIMEOUT_SECONDS = 20;

/**
 * The environment variable that carries an input (`init-data` -> `NODEFLASH_INPUT_INIT_DATA`).
 *
 * @param name the input's name in `action.yml`
 * @returns the variable's name
 *
 * @example
 * ```ts
 * import { inputEnvName } from "./inputs.ts";
 * import assert from "node:assert/strict";
 * assert.equal(inputEnvName("smoke-timeout"), "NODEFLASH_INPUT_SMOKE_TIMEOUT");
 * ```
 */
export function inputEnvName(name: string): string {
  return `NODEFLASH_INPUT_${name.toUpperCase().replaceAll("-", "_")}`;
}

/**
 * Picks the inputs out of an environment (`Deno.env.toObject()`); absent ones are `""`.
 *
 * @param env the environment
 * @returns each input's raw value, by input name
 *
 * @example
 * ```ts
 * import { inputsFromEnv } from "./inputs.ts";
 * import assert from "node:assert/strict";
 * const raw = inputsFromEnv({ NODEFLASH_INPUT_FIRMWARE: "*-float.bin" });
 * assert.equal(raw["firmware"], "*-float.bin");
 * assert.equal(raw["ports"], "");
 * ```
 */
export function inputsFromEnv(env: Record<string, string | undefined>): Record<string, string> {
  const raw: Record<string, string> = {};
  for (const name of INPUT_NAMES) raw[name] = env[inputEnvName(name)] ?? "";
  return raw;
}

/** A user error that names the input. */
function inputError(name: InputName, message: string, hint: string) {
  return userError(`input/${name}`, `input '${name}': ${message}`, hint);
}

/** Runs a library parser, turning its user error into one that names the input. */
function viaLibrary<T>(name: InputName, parse: () => T): T {
  try {
    return parse();
  } catch (e) {
    if (!isNodeflashError(e)) throw e;
    throw inputError(name, e.message, e.hint ?? `See the '${name}' input in the README.`);
  }
}

function parseRepositoryInput(text: string): string | undefined {
  if (text === "") return undefined;
  if (text.includes("@")) {
    throw inputError(
      "repository",
      `'${text}' is not owner/repo`,
      "Name the release with the 'release' input, not with '@' here.",
    );
  }
  const ref = viaLibrary("repository", () => parseReleaseRef(text));
  return `${ref.repository.owner}/${ref.repository.repo}`;
}

const RELEASE_HINT = "Write latest, a tag (v1.2.3, or tag:latest for a tag named 'latest'), " +
  "id:<number>, or leave it empty to use the release that triggered the workflow.";

function parseReleaseInput(text: string): ReleaseChoice {
  if (text === "") return { kind: "triggering" };
  let selector;
  try {
    selector = parseReleaseRef(`release/input@${text}`).release;
  } catch (e) {
    if (!isNodeflashError(e)) throw e;
    const why = /: ([^:]*)$/.exec(e.message)?.[1];
    throw inputError(
      "release",
      `'${text}' is not latest, a tag or id:<number>${why === undefined ? "" : ` (${why})`}`,
      RELEASE_HINT,
    );
  }
  if (selector.kind === "latest") return { kind: "latest" };
  if (selector.kind === "id") return { kind: "id", id: selector.id };
  if (selector.kind === "tag") return { kind: "tag", tag: selector.tag };
  throw inputError("release", `'${text}' is not a release`, RELEASE_HINT);
}

/** A value that names a file in the workspace rather than a release asset. */
function isPath(text: string): boolean {
  return text.includes("/") || text.includes("\\");
}

function parseFileSource(name: "firmware" | "init-data", text: string): FileSource {
  if (isPath(text)) {
    if (text.split(/[/\\]/).includes("..") || text.startsWith("/") || /^[A-Za-z]:/.test(text)) {
      throw inputError(
        name,
        `'${text}' leaves the workspace`,
        "Give a path relative to the workspace, e.g. ./build/nodemcu.bin.",
      );
    }
    return { kind: "path", path: text };
  }
  if (/[\s]/.test(text)) {
    throw inputError(
      name,
      `'${text}' contains white space`,
      "Give one asset glob such as '*-float.bin', or a workspace path such as ./fw.bin.",
    );
  }
  return { kind: "asset", glob: text };
}

function parseFirmwareInput(text: string): FileSource {
  if (text === "") {
    throw inputError(
      "firmware",
      "is required",
      "Give a release asset glob such as '*-float.bin', or a workspace path such as ./bin/nodemcu.bin.",
    );
  }
  return parseFileSource("firmware", text);
}

function parseInitDataInput(text: string): InitDataSource {
  const lower = text.toLowerCase();
  if (text === "" || lower === "none") return { kind: "none" };
  if (lower === "default") return { kind: "default" };
  return parseFileSource("init-data", text);
}

function parsePortsInput(text: string): PortsChoice {
  const lines = text.split(/\r?\n/).map((l) => l.trim()).filter((l) => l !== "");
  if (lines.length === 0 || (lines.length === 1 && lines[0]!.toLowerCase() === "auto")) {
    return { kind: "auto" };
  }
  const seen = new Set<string>();
  for (const line of lines) {
    if (line.toLowerCase() === "auto") {
      throw inputError("ports", "'auto' cannot be mixed with ports", "Give auto alone, or ports.");
    }
    if (/\s/.test(line)) {
      throw inputError(
        "ports",
        `'${line}' contains white space`,
        "Put one port on each line (a YAML block: ports: |).",
      );
    }
    if (seen.has(line)) {
      throw inputError(
        "ports",
        `${line} is listed twice`,
        "List each board once: two jobs on one port would corrupt both writes.",
      );
    }
    seen.add(line);
  }
  return { kind: "list", ports: lines };
}

function parseBaudInput(text: string): BaudSetting {
  if (text === "" || text.toLowerCase() === "auto") return "auto";
  const baud = Number(text);
  if (!/^\d+$/.test(text) || baud < 9600 || baud > 4_000_000) {
    throw inputError(
      "baud",
      `'${text}' is not a baud rate`,
      "Give auto (the fastest of 921600, 460800, 115200 that works), or a whole number from 9600 to 4000000, e.g. 460800 (115200 for long or poor cables).",
    );
  }
  return baud;
}

function parseChoice<T extends string>(
  name: InputName,
  text: string,
  choices: readonly T[],
): T {
  const value = (text === "" ? choices[0]! : text.toLowerCase()) as T;
  if (!choices.includes(value)) {
    throw inputError(
      name,
      `'${text}' is not one of ${choices.join(", ")}`,
      `Use ${choices.join(" or ")}.`,
    );
  }
  return value;
}

function parseBooleanInput(name: InputName, text: string, fallback: "on" | "off"): "on" | "off" {
  if (text === "") return fallback;
  if (["true", "True", "TRUE"].includes(text)) return "on";
  if (["false", "False", "FALSE"].includes(text)) return "off";
  throw inputError(name, `'${text}' is not a boolean`, "Use true or false.");
}

function parseSmokeTimeoutInput(text: string): number {
  if (text === "") return DEFAULT_SMOKE_TIMEOUT_SECONDS * 1000;
  const seconds = Number(text);
  if (!/^\d+(\.\d+)?$/.test(text) || seconds <= 0 || seconds > 3600) {
    throw inputError(
      "smoke-timeout",
      `'${text}' is not a number of seconds`,
      "Give seconds from 0.1 to 3600, e.g. 30 (a first-boot format has its own, longer limit).",
    );
  }
  return Math.round(seconds * 1000);
}

function parseProbe(lua: string, expect: string, smoke: "on" | "off"): ActionConfig["probe"] {
  if (lua === "" && expect === "") return undefined;
  if (lua === "") {
    throw inputError(
      "expect",
      "is set but 'lua' is empty",
      "Give the Lua line whose output it checks.",
    );
  }
  if (expect === "") {
    throw inputError(
      "lua",
      "is set but 'expect' is empty",
      "Say what its output must match, e.g. ^42$.",
    );
  }
  if (smoke === "off") {
    throw inputError(
      "lua",
      "is set but 'smoke' is false",
      "Set smoke: true, or drop lua and expect.",
    );
  }
  if (/[\r\n]/.test(lua)) {
    throw inputError(
      "lua",
      "spans several lines",
      "Give one line of Lua (join statements with ';').",
    );
  }
  try {
    return { lua, expect: new RegExp(expect) };
  } catch {
    throw inputError(
      "expect",
      `'${expect}' is not a valid regular expression`,
      "Check its brackets and escapes.",
    );
  }
}

/**
 * Parses the Action's inputs. Empty strings take the defaults; the release input's empty default
 * means "the release that triggered the workflow" (resolved later from the event). Pure: no
 * environment, no files.
 *
 * @param raw each input's value, by input name (see {@link inputsFromEnv})
 * @returns the configuration
 * @throws a user error `input/<name>` naming the input, its value and what to write instead
 *
 * @example
 * ```ts
 * import { parseInputs } from "./inputs.ts";
 * import assert from "node:assert/strict";
 * const config = parseInputs({ firmware: "*-float.bin", ports: "/dev/ttyUSB0", release: "latest" });
 * assert.deepEqual(config.firmware, { kind: "asset", glob: "*-float.bin" });
 * assert.deepEqual(config.ports, { kind: "list", ports: ["/dev/ttyUSB0"] });
 * assert.throws(() => parseInputs({ firmware: "" }), /input 'firmware'/);
 * ```
 */
export function parseInputs(raw: Record<string, string>): ActionConfig {
  const get = (name: InputName) => (raw[name] ?? "").trim();
  const smoke = parseBooleanInput("smoke", get("smoke"), "on");
  return {
    repository: parseRepositoryInput(get("repository")),
    release: parseReleaseInput(get("release")),
    firmware: parseFirmwareInput(get("firmware")),
    initData: parseInitDataInput(get("init-data")),
    ports: parsePortsInput(raw["ports"] ?? ""),
    baud: parseBaudInput(get("baud")),
    flashMode: viaLibrary(
      "flash-mode",
      () => parseFlashMode(get("flash-mode") || "keep", { allow: ["keep"] }),
    ),
    flashSize: viaLibrary(
      "flash-size",
      () => parseFlashSizeSetting(get("flash-size") || "detect", { allow: ["keep", "detect"] }),
    ),
    erase: parseChoice("erase", get("erase"), ["none", "all"] as const),
    smoke,
    smokeTimeoutMs: parseSmokeTimeoutInput(get("smoke-timeout")),
    probe: parseProbe(get("lua"), get("expect"), smoke),
    token: get("token"),
  };
}
