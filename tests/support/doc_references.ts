/**
 * Finds where the repository cites its own documents, and what is wrong with each citation: a
 * document that is not in docs/, a section (`docs/protocol.md §4.1`, `docs/boot-log.md A.6`) or
 * an anchor (`docs/lua-side.md#receive-ring`) the document does not have, or a citation of the
 * team's notes beside the repository (the `shared` folder's docs), which readers of the
 * repository do not have.
 *
 * What counts as a citation:
 *
 * - `docs/<name>.md`, optionally followed by `#anchor`, ` §1.2` or ` A.6`, anywhere in a file
 *   (`../../docs/<name>.md` too); a path with more before `docs/` (`nodemcu-firmware/docs/lfs.md`)
 *   names another project's file and is left alone;
 * - `<name>.md §1.2` without the folder (a section citation always means one of our documents);
 * - in docs/ itself, Markdown links to a sibling document, `[text](<name>.md#anchor)`.
 *
 * Anchors are GitHub's: a heading's text in lower case, without punctuation, spaces as hyphens;
 * or an explicit `<a id="…">`. Sections are the labels that start headings (`### 1.1 …`,
 * `## A. …`).
 */

import { join, relative } from "node:path";

/** One citation of a document. */
export interface DocReference {
  /** The file it is in, relative to the root. */
  file: string;
  /** 1-based line. */
  line: number;
  /** The document's file name (`protocol.md`). */
  doc: string;
  /** A section label (`4.1`, `A.6`). */
  section?: string;
  /** An anchor (`receive-ring`). */
  anchor?: string;
}

/** What a document offers to point at. */
export interface DocTargets {
  /** Section labels of its headings. */
  sections: Set<string>;
  /** Anchors: heading slugs and explicit ids. */
  anchors: Set<string>;
}

const NAME = "[A-Za-z0-9_-]+(?:\\.[A-Za-z0-9_-]+)*";
const IN_DOCS = new RegExp(
  `(?<![\\w/.-])(?:\\.\\./)*docs/(${NAME})\\.md` +
    `(?:#([A-Za-z0-9_-]+)|\\s?§\\s?(\\d+(?:\\.\\d+)*)|\\s([A-Z](?:\\.\\d+)*)(?!\\w))?`,
  "g",
);
const BARE_SECTION = new RegExp(`(?<![\\w/.-])(${NAME})\\.md\\s?§\\s?(\\d+(?:\\.\\d+)*)`, "g");
const SIBLING_LINK = new RegExp(`\\]\\((${NAME})\\.md(?:#([A-Za-z0-9_-]+))?\\)`, "g");
const SHARED_DOCS = /\.\.\/shared\/docs\//;

/**
 * GitHub's anchor for a heading.
 *
 * @param heading the heading's text (without the `#`s)
 * @returns the anchor
 */
export function headingSlug(heading: string): string {
  return heading
    .replace(/\[([^\]]*)\]\([^)]*\)/g, "$1")
    .toLowerCase()
    .replace(/[^\p{L}\p{N}\s_-]/gu, "")
    .trim()
    .replace(/\s/g, "-");
}

/**
 * The sections and anchors of a Markdown document.
 *
 * @param markdown its text
 * @returns what can be cited in it
 */
export function docTargets(markdown: string): DocTargets {
  const sections = new Set<string>();
  const anchors = new Set<string>();
  const seen = new Map<string, number>();
  let fenced = false;
  for (const line of markdown.split("\n")) {
    if (/^\s*```/.test(line)) fenced = !fenced;
    if (fenced) continue;
    for (const m of line.matchAll(/<a\s+(?:id|name)="([^"]+)"/g)) anchors.add(m[1]!);
    const heading = /^#{1,6}\s+(.*?)\s*#*\s*$/.exec(line);
    if (heading === null) continue;
    const text = heading[1]!;
    const label = /^(\d+(?:\.\d+)*\.?|[A-Z]\.(?:\d+(?:\.\d+)*)?)\s/.exec(text);
    if (label) sections.add(label[1]!.replace(/\.$/, ""));
    const slug = headingSlug(text);
    const n = seen.get(slug) ?? 0;
    seen.set(slug, n + 1);
    anchors.add(n === 0 ? slug : `${slug}-${n}`);
  }
  return { sections, anchors };
}

/**
 * The citations in one file's text.
 *
 * @param file its path relative to the root (`docs/…` files also cite their siblings by link)
 * @param text its text
 * @returns the citations, and the lines that cite the team's shared notes
 */
export function findReferences(
  file: string,
  text: string,
): { references: DocReference[]; sharedNotes: number[] } {
  const references: DocReference[] = [];
  const sharedNotes: number[] = [];
  const inDocs = file.startsWith("docs/");
  text.split("\n").forEach((line, i) => {
    const at = { file, line: i + 1 };
    if (SHARED_DOCS.test(line)) sharedNotes.push(i + 1);
    for (const m of line.matchAll(IN_DOCS)) {
      const section = m[3] ?? m[4];
      references.push({
        ...at,
        doc: `${m[1]}.md`,
        ...(m[2] ? { anchor: m[2] } : {}),
        ...(section ? { section } : {}),
      });
    }
    for (const m of line.matchAll(BARE_SECTION)) {
      references.push({ ...at, doc: `${m[1]}.md`, section: m[2]! });
    }
    if (!inDocs) return;
    for (const m of line.matchAll(SIBLING_LINK)) {
      references.push({ ...at, doc: `${m[1]}.md`, ...(m[2] ? { anchor: m[2] } : {}) });
    }
  });
  return { references, sharedNotes };
}

/**
 * What is wrong with some citations.
 *
 * @param references the citations
 * @param docs the documents in docs/, by file name
 * @returns one line per problem (`file:line: …`), none when every citation holds
 */
export function checkReferences(
  references: DocReference[],
  docs: ReadonlyMap<string, string>,
): string[] {
  const targets = new Map<string, DocTargets>();
  const problems: string[] = [];
  for (const ref of references) {
    const where = `${ref.file}:${ref.line}`;
    const markdown = docs.get(ref.doc);
    if (markdown === undefined) {
      problems.push(`${where}: cites ${ref.doc}, which is not in docs/`);
      continue;
    }
    let t = targets.get(ref.doc);
    if (t === undefined) targets.set(ref.doc, t = docTargets(markdown));
    if (ref.section !== undefined && !t.sections.has(ref.section)) {
      problems.push(`${where}: ${ref.doc} has no section ${ref.section}`);
    }
    if (ref.anchor !== undefined && !t.anchors.has(ref.anchor)) {
      problems.push(`${where}: ${ref.doc} has no anchor #${ref.anchor}`);
    }
  }
  return problems;
}

/** Text files worth scanning. */
const SCANNED = /\.(ts|md|lua|ya?ml|json)$/;

/**
 * The files the scan covers: lib/, action/, tests/ (their text files), mod.ts, README.md and
 * docs/.
 *
 * @param root the repository's root
 * @returns paths relative to the root
 */
export async function scannedFiles(root: string): Promise<string[]> {
  const out = ["mod.ts", "README.md"];
  async function walk(dir: string): Promise<void> {
    for await (const entry of Deno.readDir(dir)) {
      if (entry.name.startsWith(".")) continue;
      const full = join(dir, entry.name);
      if (entry.isDirectory) await walk(full);
      else if (entry.isFile && SCANNED.test(entry.name)) out.push(relative(root, full));
    }
  }
  for (const dir of ["lib", "action", "tests", "docs"]) await walk(join(root, dir));
  return out.sort();
}
