/**
 * One error family for the whole library.
 *
 * Every error nodeflash raises on purpose is a {@link NodeflashError}: it has a stable `code`
 * (`"connect/no-sync"`, `"rom/invalid-crc"`, `"port/busy"`...), a message that names what failed
 * on what, an optional `hint` that says what to do, and a `kind`:
 *
 * - `"user"`: bad input or usage (exit code 2 in the CLI),
 * - `"device"`: the board, the cable, the port or the network failed (exit code 1).
 *
 * Anything else that escapes (a `TypeError`, a `RangeError` thrown by the runtime) is a bug and
 * the CLI shows its stack.
 *
 * @module
 */

/** Whether an error was caused by the user's input or by the device and its connection. */
export type ErrorKind = "user" | "device";

/** Options for {@link NodeflashError}. */
export interface NodeflashErrorOptions {
  /** What the user can do about it, one sentence. */
  hint?: string;
  /** The underlying error. */
  cause?: unknown;
  /** Structured details for `--json` output (addresses reached, ports found...). */
  details?: Record<string, unknown>;
}

/**
 * An error nodeflash raised on purpose.
 *
 * @example Raising and recognising one
 * ```ts
 * import { NodeflashError, isNodeflashError } from "./errors.ts";
 * const err = new NodeflashError("user", "image/not-an-image", "fw.txt is not an ESP8266 image", {
 *   hint: "Pass the .bin file the firmware build produced.",
 * });
 * if (!isNodeflashError(err) || err.kind !== "user") throw new Error("unexpected");
 * ```
 */
export class NodeflashError extends Error {
  /** `"user"` or `"device"`. */
  readonly kind: ErrorKind;
  /** Stable, machine-readable code such as `"rom/invalid-crc"`. */
  readonly code: string;
  /** What to do about it. */
  readonly hint: string | undefined;
  /** Structured details for machines. */
  readonly details: Record<string, unknown> | undefined;

  /**
   * Creates an error.
   *
   * @param kind whether the user or the device is at fault
   * @param code stable code, `area/what`
   * @param message names what failed on what
   * @param options hint, cause and details
   */
  constructor(kind: ErrorKind, code: string, message: string, options: NodeflashErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = "NodeflashError";
    this.kind = kind;
    this.code = code;
    this.hint = options.hint;
    this.details = options.details;
  }
}

/**
 * Creates a user error (bad input or usage).
 *
 * @example
 * ```ts
 * import { userError } from "./errors.ts";
 * const e = userError("cli/unknown-command", "Unknown command 'flsh'", "Run 'nodeflash --help'.");
 * if (e.kind !== "user") throw new Error();
 * ```
 */
export function userError(
  code: string,
  message: string,
  hint?: string,
  options: Omit<NodeflashErrorOptions, "hint"> = {},
): NodeflashError {
  return new NodeflashError(
    "user",
    code,
    message,
    hint === undefined ? options : { ...options, hint },
  );
}

/**
 * Creates a device error (board, cable, port or network).
 *
 * @example
 * ```ts
 * import { deviceError } from "./errors.ts";
 * const e = deviceError("port/disconnected", "The port /dev/ttyUSB0 went away");
 * if (e.kind !== "device") throw new Error();
 * ```
 */
export function deviceError(
  code: string,
  message: string,
  hint?: string,
  options: Omit<NodeflashErrorOptions, "hint"> = {},
): NodeflashError {
  return new NodeflashError(
    "device",
    code,
    message,
    hint === undefined ? options : { ...options, hint },
  );
}

/**
 * Tells whether a value is a {@link NodeflashError}.
 *
 * @example
 * ```ts
 * import { isNodeflashError } from "./errors.ts";
 * if (isNodeflashError(new Error("x"))) throw new Error("a plain Error is not one");
 * ```
 */
export function isNodeflashError(value: unknown): value is NodeflashError {
  return value instanceof NodeflashError;
}

/**
 * The pointer to a code's section of docs/troubleshooting.md, for the end of a hint.
 *
 * @param code a code that has a section (`connect/...`, `smoke/...`)
 * @returns `See docs/troubleshooting.md#connect-no-sync.`
 *
 * @example
 * ```ts
 * import { seeTroubleshooting } from "./errors.ts";
 * if (seeTroubleshooting("smoke/bad-image") !== "See docs/troubleshooting.md#smoke-bad-image.") {
 *   throw new Error();
 * }
 * ```
 */
export function seeTroubleshooting(code: string): string {
  return `See docs/troubleshooting.md#${code.replace("/", "-")}.`;
}
