/**
 * Parses what the user passes as `--port`: a device path, `rfc2217://host:port[?options]`,
 * `socket://host:port`, or `scheme:...` for a scheme registered at run time (`sim://`).
 *
 * @module
 */

import { userError } from "../errors.ts";
import type { NodeflashError } from "../errors.ts";

/** Where a transport URL points. */
export type TransportTarget =
  | { kind: "serial"; path: string }
  | { kind: "rfc2217"; url: string; host: string; port: number; params: Record<string, string> }
  | { kind: "tcp"; url: string; host: string; port: number }
  | { kind: "scheme"; url: string; scheme: string };

/** The forms nodeflash accepts, for hints. */
export const ACCEPTED_FORMS = [
  "a serial device (/dev/ttyUSB0, /dev/serial/by-id/..., /dev/cu.usbserial-0001, COM3)",
  "rfc2217://host:port (ser2net, nodeflash sim --rfc2217)",
  "socket://host:port (raw TCP)",
];

/**
 * The user error for a port string nodeflash cannot use.
 *
 * @param text what the user gave
 * @param why what is wrong with it
 * @param extraSchemes schemes registered at run time, listed in the hint (`sim`)
 * @returns a `transport/bad-url` user error
 *
 * @example
 * ```ts
 * import { badTransportUrl } from "./transport_url.ts";
 * import assert from "node:assert/strict";
 * assert.match(badTransportUrl("x", "nope", ["sim"]).hint ?? "", /sim:\/\//);
 * ```
 */
export function badTransportUrl(
  text: string,
  why: string,
  extraSchemes: readonly string[] = [],
): NodeflashError {
  const forms = [...ACCEPTED_FORMS, ...extraSchemes.map((s) => `${s}://...`)];
  return userError(
    "transport/bad-url",
    `Cannot use "${text}" as a port: ${why}`,
    `Use ${forms.join(", ")}.`,
  );
}

function parseNetwork(
  text: string,
  scheme: "rfc2217" | "socket",
  schemes: readonly string[],
): TransportTarget {
  const bad = (why: string) => badTransportUrl(text, why, schemes);
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw bad("it is not a valid URL");
  }
  const host = url.hostname.replace(/^\[(.*)\]$/, "$1");
  if (host === "") throw bad("the host is missing");
  if (url.port === "") throw bad("the TCP port is missing (host:port)");
  const port = Number(url.port);
  if (port < 1) throw bad(`${url.port} is not a TCP port`);
  if (url.pathname !== "" && url.pathname !== "/") {
    throw bad(`unexpected path "${url.pathname}" after host:port`);
  }
  if (scheme === "socket") {
    if (url.search !== "") throw bad("socket:// takes no options");
    return { kind: "tcp", url: text, host, port };
  }
  const params: Record<string, string> = {};
  for (const [k, v] of url.searchParams) params[k] = v;
  return { kind: "rfc2217", url: text, host, port, params };
}

/**
 * Parses a port string.
 *
 * @param text `--port`'s value
 * @param options schemes registered at run time, named in the error's hint
 * @returns where it points; a `transport/bad-url` user error when it is none of the forms
 *
 * @example
 * ```ts
 * import { parseTransportUrl } from "./transport_url.ts";
 * import assert from "node:assert/strict";
 * assert.deepEqual(parseTransportUrl("COM3"), { kind: "serial", path: "COM3" });
 * assert.equal(parseTransportUrl("rfc2217://127.0.0.1:4000?ign_set_control").kind, "rfc2217");
 * assert.throws(() => parseTransportUrl("ttyUSB0"), { code: "transport/bad-url" });
 * ```
 */
export function parseTransportUrl(
  text: string,
  options: { schemes?: readonly string[] } = {},
): TransportTarget {
  const schemes = options.schemes ?? [];
  const value = text.trim();
  if (value === "") throw badTransportUrl(text, "it is empty", schemes);
  if (value.startsWith("/") || value.startsWith("./") || value.startsWith("../")) {
    return { kind: "serial", path: value };
  }
  if (/^(\\\\\.\\)?COM[1-9]\d{0,2}$/i.test(value)) return { kind: "serial", path: value };
  const m = /^([a-z][a-z0-9+.-]+):/i.exec(value);
  if (m) {
    const scheme = m[1]!.toLowerCase();
    if (scheme === "rfc2217" || scheme === "socket") return parseNetwork(value, scheme, schemes);
    return { kind: "scheme", url: value, scheme };
  }
  if (/^tty|^cu\./.test(value)) {
    throw badTransportUrl(text, `device paths are absolute: did you mean /dev/${value}?`, schemes);
  }
  throw badTransportUrl(text, "it is neither a device path nor a URL", schemes);
}
