/**
 * Runs action/main.ts the way the runner runs action.yml's step: as `deno run` with the
 * permissions and flags action.yml gives, inputs in `NODEFLASH_INPUT_*` (action.yml's defaults
 * plus the workflow's `with:`), and the runner's files (`GITHUB_OUTPUT`, `GITHUB_STEP_SUMMARY`,
 * `GITHUB_EVENT_PATH`) and directories (`RUNNER_TEMP`, `RUNNER_TOOL_CACHE`, `GITHUB_WORKSPACE`)
 * in fresh temporary directories.
 */

import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { parse } from "yaml";
import { inputEnvName } from "../action/inputs.ts";

/** The repository's root (the action's own directory, `GITHUB_ACTION_PATH`). */
export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "..");

interface ActionYaml {
  inputs: Record<string, { default?: string }>;
  runs: { steps: Array<{ id?: string; run?: string }> };
}

const action = parse(await Deno.readTextFile(join(ROOT, "action.yml"))) as ActionYaml;

/** action.yml's `run:` line as argv, with `$GITHUB_ACTION_PATH` in place. */
export function actionArgv(): string[] {
  const run = action.runs.steps.find((s) => s.id === "flash")?.run;
  if (run === undefined) throw new Error("action.yml has no 'flash' step");
  const words = run.trim().match(/"[^"]*"|\S+/g) ?? [];
  return words.map((w) => w.replace(/^"(.*)"$/, "$1").replaceAll("$GITHUB_ACTION_PATH", ROOT));
}

/** What a run of the Action gets. */
export interface ActionRunSpec {
  /** The workflow's `with:`. */
  with: Record<string, string>;
  /** `GITHUB_REPOSITORY` (the default of the `repository` input). */
  repository: string;
  /** The job's token (the default of the `token` input). */
  token: string;
  /** `GITHUB_API_URL`. */
  apiUrl: string;
  /** `GITHUB_EVENT_NAME` and the payload for `GITHUB_EVENT_PATH`. */
  event: { name: string; payload: unknown };
  /** Files in the workspace. */
  workspaceFiles?: Record<string, Uint8Array>;
  /** Use this `RUNNER_TOOL_CACHE` (a self-hosted runner keeps it between jobs). */
  toolCache?: string;
}

/** What a run left behind. */
export interface ActionRunResult {
  /** Exit code. */
  code: number;
  /** Standard output (workflow commands included). */
  stdout: string;
  /** Standard error. */
  stderr: string;
  /** The outputs, read back from `GITHUB_OUTPUT`. */
  outputs: Record<string, string>;
  /** `GITHUB_STEP_SUMMARY`'s contents. */
  summary: string;
  /** `RUNNER_TEMP`. */
  runnerTemp: string;
  /** `RUNNER_TOOL_CACHE`. */
  toolCache: string;
}

/**
 * Reads a `GITHUB_OUTPUT` file (`name<<delimiter` blocks, as `@actions/core` writes them).
 *
 * @param text the file
 * @returns the outputs
 */
export function parseOutputFile(text: string): Record<string, string> {
  const outputs: Record<string, string> = {};
  const lines = text.split("\n");
  for (let i = 0; i < lines.length; i++) {
    const m = /^([^<=]+)<<(.+)$/.exec(lines[i]!);
    if (m === null) continue;
    const end = lines.indexOf(m[2]!, i + 1);
    outputs[m[1]!] = lines.slice(i + 1, end).join("\n");
    i = end;
  }
  return outputs;
}

/**
 * Every file under a directory (relative paths), or none when it does not exist.
 *
 * @param dir the directory
 * @returns the files
 */
export async function filesUnder(dir: string): Promise<string[]> {
  const out: string[] = [];
  try {
    for await (const entry of Deno.readDir(dir)) {
      const path = join(dir, entry.name);
      if (entry.isDirectory) out.push(...(await filesUnder(path)).map((f) => join(entry.name, f)));
      else out.push(entry.name);
    }
  } catch (e) {
    if (!(e instanceof Deno.errors.NotFound)) throw e;
  }
  return out.sort();
}

function inputEnv(spec: ActionRunSpec): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [name, input] of Object.entries(action.inputs)) {
    const value = spec.with[name] ?? input.default ?? "";
    env[inputEnvName(name)] = value
      .replaceAll("${{ github.repository }}", spec.repository)
      .replaceAll("${{ github.token }}", spec.token);
  }
  for (const name of Object.keys(spec.with)) {
    if (!(name in action.inputs)) throw new Error(`action.yml has no input '${name}'`);
  }
  return env;
}

/** The variables a Deno subprocess needs from this process (its cache, certificates). */
function passThrough(): Record<string, string> {
  const env: Record<string, string> = {};
  for (const k of ["PATH", "HOME", "DENO_DIR", "DENO_TLS_CA_STORE", "XDG_CACHE_HOME", "NO_COLOR"]) {
    const v = Deno.env.get(k);
    if (v !== undefined) env[k] = v;
  }
  return env;
}

/**
 * Runs the Action once.
 *
 * @param spec inputs, event, API
 * @returns exit code, output, outputs, summary and the runner's directories (removed by
 *   {@link cleanUp})
 */
export async function runActionProcess(spec: ActionRunSpec): Promise<ActionRunResult> {
  const base = await Deno.makeTempDir({ prefix: "nodeflash-action-e2e-" });
  const dirs = {
    runnerTemp: join(base, "temp"),
    toolCache: join(base, "tool-cache"),
    workspace: join(base, "workspace"),
  };
  for (const dir of Object.values(dirs)) await Deno.mkdir(dir);
  if (spec.toolCache !== undefined) dirs.toolCache = spec.toolCache;
  for (const [path, bytes] of Object.entries(spec.workspaceFiles ?? {})) {
    await Deno.mkdir(dirname(join(dirs.workspace, path)), { recursive: true });
    await Deno.writeFile(join(dirs.workspace, path), bytes);
  }
  const files = {
    output: join(base, "output.txt"),
    summary: join(base, "summary.md"),
    event: join(base, "event.json"),
  };
  await Deno.writeTextFile(files.output, "");
  await Deno.writeTextFile(files.summary, "");
  await Deno.writeTextFile(files.event, JSON.stringify(spec.event.payload));
  const [deno, ...args] = actionArgv();
  const out = await new Deno.Command(deno!, {
    args,
    cwd: dirs.workspace,
    clearEnv: true,
    env: {
      ...passThrough(),
      ...inputEnv(spec),
      GITHUB_ACTIONS: "true",
      GITHUB_ACTION_PATH: ROOT,
      GITHUB_REPOSITORY: spec.repository,
      GITHUB_API_URL: spec.apiUrl,
      GITHUB_EVENT_NAME: spec.event.name,
      GITHUB_EVENT_PATH: files.event,
      GITHUB_OUTPUT: files.output,
      GITHUB_STEP_SUMMARY: files.summary,
      GITHUB_WORKSPACE: dirs.workspace,
      RUNNER_TEMP: dirs.runnerTemp,
      RUNNER_TOOL_CACHE: dirs.toolCache,
    },
    stdout: "piped",
    stderr: "piped",
  }).output();
  return {
    code: out.code,
    stdout: new TextDecoder().decode(out.stdout),
    stderr: new TextDecoder().decode(out.stderr),
    outputs: parseOutputFile(await Deno.readTextFile(files.output)),
    summary: await Deno.readTextFile(files.summary),
    runnerTemp: dirs.runnerTemp,
    toolCache: dirs.toolCache,
  };
}

/**
 * Removes what a run left (its temporary base directory).
 *
 * @param result the run
 */
export async function cleanUp(result: ActionRunResult): Promise<void> {
  await Deno.remove(dirname(result.runnerTemp), { recursive: true });
}

/**
 * The `::error` workflow commands in an output, decoded (`%0A` is a newline).
 *
 * @param stdout the output
 * @returns title (when given) and message of each
 */
export function errorCommands(
  stdout: string,
): Array<{ title: string | undefined; message: string }> {
  const decode = (s: string) =>
    s.replaceAll("%0D", "\r").replaceAll("%0A", "\n").replaceAll("%3A", ":").replaceAll("%2C", ",")
      .replaceAll("%25", "%");
  const out: Array<{ title: string | undefined; message: string }> = [];
  for (const line of stdout.split("\n")) {
    const m = /^::error(?: ([^:]*))?::(.*)$/.exec(line);
    if (m === null) continue;
    const title = /(?:^|,)title=([^,]*)/.exec(m[1] ?? "")?.[1];
    out.push({ title: title === undefined ? undefined : decode(title), message: decode(m[2]!) });
  }
  return out;
}
