// Reads a PRD's Markdown into an outline: sections (by heading) with their paragraphs and list items.

export interface OutlineItem {
  /** The item's own text, continuation lines joined with spaces. */
  text: string;
  /** `- [ ]` → false, `- [x]` → true, a plain item → null. */
  checked: boolean | null;
  /** The number of a numbered item ("3." → 3). */
  ordinal: number | null;
  /** Nested items' texts (one level flattened). */
  children: string[];
  /** Fenced code under the item. */
  code: string[];
}

export interface OutlineSection {
  level: number;
  heading: string;
  /** Headings from the top down to this one (its path). */
  path: string[];
  text: string[];
  items: OutlineItem[];
  /** Whether a deeper heading follows before the next heading of this level or above. */
  hasSubsections: boolean;
}

export interface Outline {
  /** The first level-1 heading. */
  title: string | null;
  sections: OutlineSection[];
}

const headingRe = /^(#{1,6})\s+(.+?)\s*#*\s*$/;
const itemRe = /^(\s*)([-*+]|\d{1,4}[.)])\s+(?:\[( |x|X)\]\s+)?(.*)$/;
const fenceRe = /^\s*(```|~~~)/;

export function parseOutline(markdown: string): Outline {
  const lines = markdown.replace(/\r\n?/g, '\n').split('\n');
  const sections: OutlineSection[] = [];
  let title: string | null = null;
  const open: OutlineSection[] = [];
  let section: OutlineSection = { level: 0, heading: '', path: [], text: [], items: [], hasSubsections: false };
  sections.push(section);
  let item: OutlineItem | null = null;
  let itemIndent = 0;
  let fence: { marker: string; lines: string[] } | null = null;
  let paragraph: string[] = [];

  const flushParagraph = () => {
    if (paragraph.length) section.text.push(paragraph.join(' '));
    paragraph = [];
  };

  for (const raw of lines) {
    if (fence) {
      if (raw.trim().startsWith(fence.marker)) {
        const code = fence.lines.join('\n');
        if (item) item.code.push(code);
        else section.text.push(code);
        fence = null;
      } else fence.lines.push(raw);
      continue;
    }
    const fenceMatch = fenceRe.exec(raw);
    if (fenceMatch) {
      flushParagraph();
      fence = { marker: fenceMatch[1]!, lines: [] };
      continue;
    }
    const heading = headingRe.exec(raw);
    if (heading) {
      flushParagraph();
      item = null;
      const level = heading[1]!.length;
      const text = heading[2]!.trim();
      if (level === 1 && title === null) title = text;
      while (open.length && open.at(-1)!.level >= level) open.pop();
      for (const parent of open) parent.hasSubsections = true;
      section = { level, heading: text, path: [...open.map((p) => p.heading), text], text: [], items: [], hasSubsections: false };
      open.push(section);
      sections.push(section);
      continue;
    }
    const listItem = itemRe.exec(raw);
    if (listItem) {
      flushParagraph();
      const indent = listItem[1]!.replace(/\t/g, '    ').length;
      const body = listItem[4]!.trim();
      if (item && indent > itemIndent) {
        item.children.push(body);
        continue;
      }
      const marker = listItem[2]!;
      const box = listItem[3];
      item = { text: body, checked: box === undefined ? null : box.toLowerCase() === 'x', ordinal: /^\d/.test(marker) ? Number.parseInt(marker, 10) : null, children: [], code: [] };
      itemIndent = indent;
      section.items.push(item);
      continue;
    }
    if (raw.trim() === '') {
      flushParagraph();
      continue;
    }
    if (item && /^\s+\S/.test(raw)) {
      // A continuation line of the current item (or of its last child).
      if (item.children.length && raw.replace(/\t/g, '    ').search(/\S/) > itemIndent + 2) item.children[item.children.length - 1] += ` ${raw.trim()}`;
      else item.text += ` ${raw.trim()}`;
      continue;
    }
    item = null;
    paragraph.push(raw.trim());
  }
  if (fence) {
    const code = fence.lines.join('\n');
    if (item) item.code.push(code);
    else section.text.push(code);
  }
  flushParagraph();
  return { title, sections: sections.filter((s) => s.level > 0 || s.text.length || s.items.length) };
}
