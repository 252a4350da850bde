// A streaming POSIX tar (ustar, PAX for long names) writer: the worker image's root filesystem, as the engine imports it.
import fs from 'node:fs';
import { Readable } from 'node:stream';

export type TarEntry =
  | { type: 'dir'; path: string; mode: number }
  | { type: 'file'; path: string; mode: number; size: number; source: string }
  | { type: 'file'; path: string; mode: number; content: Buffer }
  | { type: 'symlink'; path: string; target: string }
  | { type: 'hardlink'; path: string; target: string };

const block = 512;
const typeFlags = { file: '0', hardlink: '1', symlink: '2', dir: '5' } as const;

function octal(value: number, width: number): string {
  return value.toString(8).padStart(width - 1, '0') + '\0';
}

function header(fields: { name: string; mode: number; size: number; type: string; linkname: string; mtime: number; prefix?: string }): Buffer {
  const h = Buffer.alloc(block);
  h.write(fields.name, 0, 100, 'utf8');
  h.write(octal(fields.mode & 0o7777, 8), 100, 'ascii');
  h.write(octal(0, 8), 108, 'ascii'); // uid: root owns the image's files
  h.write(octal(0, 8), 116, 'ascii'); // gid
  h.write(octal(fields.size, 12), 124, 'ascii');
  h.write(octal(fields.mtime, 12), 136, 'ascii');
  h.write('        ', 148, 'ascii'); // checksum counts as spaces while it is computed
  h.write(fields.type, 156, 'ascii');
  h.write(fields.linkname, 157, 100, 'utf8');
  h.write('ustar\0', 257, 'ascii');
  h.write('00', 263, 'ascii');
  h.write('root', 265, 'ascii');
  h.write('root', 297, 'ascii');
  if (fields.prefix) h.write(fields.prefix, 345, 155, 'utf8');
  let sum = 0;
  for (const byte of h) sum += byte;
  h.write(octal(sum, 7) + ' ', 148, 'ascii');
  return h;
}

function padding(size: number): Buffer {
  const rest = size % block;
  return Buffer.alloc(rest === 0 ? 0 : block - rest);
}

/** A PAX extended header carrying the fields ustar cannot hold. */
function paxHeader(records: Record<string, string>, mtime: number): Buffer[] {
  let body = '';
  for (const [key, value] of Object.entries(records)) {
    const line = ` ${key}=${value}\n`;
    const base = Buffer.byteLength(line);
    // The length counts its own digits: adding them can add one more digit.
    let length = base + String(base).length;
    if (String(length).length > String(base).length) length = base + String(length).length;
    body += `${length}${line}`;
  }
  const data = Buffer.from(body);
  return [header({ name: 'PaxHeader', mode: 0o644, size: data.length, type: 'x', linkname: '', mtime }), data, padding(data.length)];
}

function headerFor(entry: TarEntry, size: number, mtime: number): Buffer[] {
  const name = entry.type === 'dir' && !entry.path.endsWith('/') ? `${entry.path}/` : entry.path;
  const linkname = entry.type === 'symlink' || entry.type === 'hardlink' ? entry.target : '';
  const mode = entry.type === 'symlink' || entry.type === 'hardlink' ? 0o777 : entry.mode;
  const out: Buffer[] = [];
  const pax: Record<string, string> = {};
  let ustarName = name;
  let prefix: string | undefined;
  if (Buffer.byteLength(name) > 100) {
    const cut = name.lastIndexOf('/', name.length - 2);
    if (cut > 0 && Buffer.byteLength(name.slice(0, cut)) <= 155 && Buffer.byteLength(name.slice(cut + 1)) <= 100) {
      prefix = name.slice(0, cut);
      ustarName = name.slice(cut + 1);
    } else {
      pax.path = name;
      ustarName = name.slice(0, 100);
    }
  }
  if (Buffer.byteLength(linkname) > 100) pax.linkpath = linkname;
  if (Object.keys(pax).length) out.push(...paxHeader(pax, mtime));
  out.push(header({ name: ustarName, mode, size, type: typeFlags[entry.type], linkname: linkname.slice(0, 100), mtime, prefix }));
  return out;
}

async function* tarChunks(entries: Iterable<TarEntry>, mtime: number): AsyncGenerator<Buffer> {
  for (const entry of entries) {
    if (entry.type === 'file' && 'content' in entry) {
      yield* headerFor(entry, entry.content.length, mtime);
      yield entry.content;
      yield padding(entry.content.length);
    } else if (entry.type === 'file') {
      yield* headerFor(entry, entry.size, mtime);
      let written = 0;
      for await (const chunk of fs.createReadStream(entry.source, { highWaterMark: 1 << 20 })) {
        const buf = chunk as Buffer;
        const room = entry.size - written;
        if (buf.length > room) throw new Error(`${entry.source} grew while it was being archived`);
        written += buf.length;
        yield buf;
      }
      if (written !== entry.size) throw new Error(`${entry.source} shrank while it was being archived`);
      yield padding(entry.size);
    } else {
      yield* headerFor(entry, 0, mtime);
    }
  }
  yield Buffer.alloc(block * 2);
}

/** A readable tar stream of the entries, in order; every entry is owned by root. */
export function createTarStream(entries: Iterable<TarEntry>, mtime = Math.floor(Date.now() / 1000)): Readable {
  return Readable.from(tarChunks(entries, mtime), { objectMode: false });
}
