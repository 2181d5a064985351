/**
 * Reading a port's text (latin1) in tests until it matches a pattern.
 */

import type { Transport } from "../../lib/transport/types.ts";

/**
 * Reads from a transport until the text seen so far matches, or fails after `ms`.
 *
 * @param port the transport (its reader is released afterwards)
 * @param pattern what to wait for
 * @param ms how long to wait
 * @returns everything read
 */
export async function readUntil(port: Transport, pattern: RegExp, ms = 10_000): Promise<string> {
  const reader = port.readable.getReader();
  let text = "";
  const timer = setTimeout(() => reader.cancel().catch(() => {}), ms);
  try {
    while (!pattern.test(text)) {
      const { value, done } = await reader.read();
      if (done) throw new Error(`${pattern} never came; got ${JSON.stringify(text.slice(-300))}`);
      text += new TextDecoder("latin1").decode(value);
    }
    return text;
  } finally {
    clearTimeout(timer);
    reader.releaseLock();
  }
}
