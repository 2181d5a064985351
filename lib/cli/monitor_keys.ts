/**
 * The monitor's keyboard, as a pure state machine: typed bytes in, actions out. Everything goes
 * to the board except two keys, chosen like miniterm's and `idf.py monitor`'s:
 *
 * - Ctrl-] quits;
 * - Ctrl-T starts a two-key command: Ctrl-T R resets the board, Ctrl-T H (or ?) shows the keys,
 *   Ctrl-T Q (or X) quits, Ctrl-T Ctrl-T and Ctrl-T Ctrl-] send those keys to the board.
 *
 * A Ctrl-T at the end of one read waits for the next read. After a quit the rest of the input is
 * dropped.
 *
 * @module
 */

/** Ctrl-]: quits. */
export const QUIT_KEY = 0x1d;
/** Ctrl-T: the prefix of a two-key command. */
export const MENU_KEY = 0x14;

/** What a key press asks for. */
export type KeyAction =
  | { kind: "send"; bytes: Uint8Array }
  | { kind: "quit" }
  | { kind: "reset" }
  | { kind: "help" }
  | { kind: "unknown-key"; key: number };

/** One two-key command: the keys after Ctrl-T and what they do. */
export interface MenuCommand {
  /** The bytes that select it after Ctrl-T. */
  keys: readonly number[];
  /** How the help spells them. */
  label: string;
  /** What the help says. */
  description: string;
  /** The action (a literal key for `send`). */
  action: KeyAction;
}

const ctrl = (letter: string): number => letter.charCodeAt(0) - 0x40;
const chars = (text: string): number[] => [...text].map((c) => c.charCodeAt(0));

/** The Ctrl-T commands, in the order the help lists them. */
export const MENU_COMMANDS: readonly MenuCommand[] = [
  {
    keys: [...chars("Rr"), ctrl("R")],
    label: "Ctrl-T R",
    description: "reset the board (RTS pulse, DTR released) and show the ROM's boot message",
    action: { kind: "reset" },
  },
  {
    keys: [...chars("Hh?"), ctrl("H")],
    label: "Ctrl-T H",
    description: "show these keys",
    action: { kind: "help" },
  },
  {
    keys: [...chars("QqXx"), ctrl("Q"), ctrl("X")],
    label: "Ctrl-T Q",
    description: "quit (as Ctrl-])",
    action: { kind: "quit" },
  },
  {
    keys: [MENU_KEY],
    label: "Ctrl-T Ctrl-T",
    description: "send Ctrl-T to the board",
    action: { kind: "send", bytes: new Uint8Array([MENU_KEY]) },
  },
  {
    keys: [QUIT_KEY],
    label: "Ctrl-T Ctrl-]",
    description: "send Ctrl-] to the board",
    action: { kind: "send", bytes: new Uint8Array([QUIT_KEY]) },
  },
];

/**
 * The key help, one line per key.
 *
 * @returns the lines
 *
 * @example
 * ```ts
 * import { keyHelp } from "./monitor_keys.ts";
 * import assert from "node:assert/strict";
 * assert.match(keyHelp()[0]!, /^Ctrl-\]\s+quit$/);
 * ```
 */
export function keyHelp(): string[] {
  const rows = [["Ctrl-]", "quit"], ...MENU_COMMANDS.map((c) => [c.label, c.description])];
  const width = Math.max(...rows.map(([label]) => label!.length)) + 2;
  return rows.map(([label, description]) => label!.padEnd(width) + description);
}

/**
 * How a key reads in a note: `Ctrl-A` … `Ctrl-_`, a printable character, or hex.
 *
 * @param key the byte
 * @returns its name
 *
 * @example
 * ```ts
 * import { keyName } from "./monitor_keys.ts";
 * import assert from "node:assert/strict";
 * assert.deepEqual([keyName(0x14), keyName(0x5a), keyName(0xe9)], ["Ctrl-T", "'Z'", "0xe9"]);
 * ```
 */
export function keyName(key: number): string {
  if (key >= 0x01 && key <= 0x1f) return `Ctrl-${String.fromCharCode(key + 0x40)}`;
  if (key >= 0x20 && key <= 0x7e) return `'${String.fromCharCode(key)}'`;
  return `0x${key.toString(16).padStart(2, "0")}`;
}

function menuAction(key: number): KeyAction {
  const command = MENU_COMMANDS.find((c) => c.keys.includes(key));
  return command?.action ?? { kind: "unknown-key", key };
}

/**
 * The key state machine. Feed it what the keyboard produced; it returns what to do, with
 * consecutive bytes for the board merged into one `send`.
 *
 * @example
 * ```ts
 * import { MonitorKeys } from "./monitor_keys.ts";
 * import assert from "node:assert/strict";
 * const keys = new MonitorKeys();
 * assert.deepEqual(keys.feed(new Uint8Array([0x41, 0x14])), [{ kind: "send", bytes: new Uint8Array([0x41]) }]);
 * assert.equal(keys.pending, true);
 * assert.deepEqual(keys.feed(new Uint8Array([0x72])), [{ kind: "reset" }]);
 * assert.deepEqual(keys.feed(new Uint8Array([0x1d, 0x42])), [{ kind: "quit" }]);
 * ```
 */
export class MonitorKeys {
  #menu = false;
  #quit = false;

  /** Whether a Ctrl-T is waiting for its second key. */
  get pending(): boolean {
    return this.#menu;
  }

  /**
   * Turns typed bytes into actions.
   *
   * @param bytes what one read of the keyboard returned
   * @returns the actions, in order; nothing after a quit
   */
  feed(bytes: Uint8Array): KeyAction[] {
    const actions: KeyAction[] = [];
    let pending: number[] = [];
    const flush = () => {
      if (pending.length > 0) actions.push({ kind: "send", bytes: new Uint8Array(pending) });
      pending = [];
    };
    for (const key of bytes) {
      if (this.#quit) break;
      if (this.#menu) {
        this.#menu = false;
        const action = menuAction(key);
        if (action.kind === "send") {
          pending.push(...action.bytes);
          continue;
        }
        flush();
        actions.push(action);
        if (action.kind === "quit") this.#quit = true;
      } else if (key === MENU_KEY) {
        this.#menu = true;
      } else if (key === QUIT_KEY) {
        flush();
        actions.push({ kind: "quit" });
        this.#quit = true;
      } else {
        pending.push(key);
      }
    }
    flush();
    return actions;
  }
}
