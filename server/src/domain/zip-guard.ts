/**
 * What an uploaded .xlsx (a zip) would cost to open, found before any workbook parser sees it. The
 * central directory declares each entry's uncompressed size: their count and sum are bounded first;
 * then every entry is inflated here as a stream that is only counted (never kept), stopped as soon as
 * it yields more than it declared, and xl/sharedStrings.xml's strings are counted on the way. A file
 * that passes can be parsed knowing how much it inflates to; one that does not is refused with the
 * limit it broke (413 TOO_LARGE) or as a broken/lying archive (415 BAD_FILE).
 */
import { createInflateRaw } from 'node:zlib';
import { DomainError } from './errors.js';

export interface ZipBounds {
  /** Entries in the archive. */
  maxEntries: number;
  /** Sum of the entries' uncompressed sizes, in bytes. */
  maxInflatedBytes: number;
  /** Strings in xl/sharedStrings.xml. */
  maxSharedStrings: number;
}

interface Entry {
  name: string;
  method: number;
  compressedSize: number;
  size: number;
  localOffset: number;
}

const EOCD = 0x06054b50;
const ZIP64_LOCATOR = 0x07064b50;
const ZIP64_EOCD = 0x06064b50;
const CENTRAL = 0x02014b50;
const LOCAL = 0x04034b50;
const MAX32 = 0xffffffff;
const SHARED_STRINGS = 'xl/sharedStrings.xml';

const badFile = (message: string) => new DomainError('BAD_FILE', `The workbook cannot be read (${message}): it is damaged or not an .xlsx file`, { http: { status: 415 }, key: 'import.badFile', params: { detail: message } });
const tooLarge = (message: string, limit: string) => new DomainError('TOO_LARGE', message, { http: { status: 413 }, limit });

function u64(buf: Buffer, at: number): number {
  const v = buf.readBigUInt64LE(at);
  if (v > BigInt(Number.MAX_SAFE_INTEGER)) throw badFile('a zip64 field is out of range');
  return Number(v);
}

/** The end of the central directory: where it starts and how many entries it declares (zip64 too). */
function directory(buf: Buffer): { count: number; offset: number } {
  let at = -1;
  for (let i = buf.length - 22; i >= Math.max(0, buf.length - 22 - 0xffff); i--) {
    if (buf.readUInt32LE(i) === EOCD) {
      at = i;
      break;
    }
  }
  if (at < 0) throw badFile('no zip directory');
  let count = buf.readUInt16LE(at + 10);
  let offset = buf.readUInt32LE(at + 16);
  if (count === 0xffff || offset === MAX32) {
    const loc = at - 20;
    if (loc < 0 || buf.readUInt32LE(loc) !== ZIP64_LOCATOR) throw badFile('a zip64 directory without its locator');
    const z = u64(buf, loc + 8);
    if (z + 56 > buf.length || buf.readUInt32LE(z) !== ZIP64_EOCD) throw badFile('a broken zip64 directory');
    count = u64(buf, z + 32);
    offset = u64(buf, z + 48);
  }
  return { count, offset };
}

/** The central directory's entries; refused as soon as there are too many or they declare too much. */
function entries(buf: Buffer, bounds: ZipBounds): Entry[] {
  const { count, offset } = directory(buf);
  const many = () => tooLarge(`The workbook has more than ${bounds.maxEntries} parts (MAX_UPLOAD_ENTRIES): it is not a UnionHub workbook`, 'MAX_UPLOAD_ENTRIES');
  if (count > bounds.maxEntries) throw many();
  const out: Entry[] = [];
  let total = 0;
  let at = offset;
  for (let i = 0; i < count; i++) {
    if (at + 46 > buf.length || buf.readUInt32LE(at) !== CENTRAL) throw badFile('a broken zip directory');
    const nameLength = buf.readUInt16LE(at + 28);
    const extraLength = buf.readUInt16LE(at + 30);
    const end = at + 46 + nameLength + extraLength + buf.readUInt16LE(at + 32);
    if (end > buf.length) throw badFile('a broken zip directory');
    const e: Entry = {
      name: buf.toString('utf8', at + 46, at + 46 + nameLength),
      method: buf.readUInt16LE(at + 10),
      compressedSize: buf.readUInt32LE(at + 20),
      size: buf.readUInt32LE(at + 24),
      localOffset: buf.readUInt32LE(at + 42),
    };
    zip64Sizes(buf, at + 46 + nameLength, extraLength, e);
    total += e.size;
    if (total > bounds.maxInflatedBytes) {
      throw tooLarge(`The workbook unpacks to more than ${Math.round(bounds.maxInflatedBytes / 1024 / 1024)} MB (MAX_UPLOAD_INFLATED_BYTES)`, 'MAX_UPLOAD_INFLATED_BYTES');
    }
    out.push(e);
    at = end;
  }
  return out;
}

/** Sizes and offset that did not fit 32 bits are in the zip64 extra field (0x0001), in this order. */
function zip64Sizes(buf: Buffer, start: number, length: number, e: Entry): void {
  if (e.size !== MAX32 && e.compressedSize !== MAX32 && e.localOffset !== MAX32) return;
  for (let at = start; at + 4 <= start + length; ) {
    const id = buf.readUInt16LE(at);
    const size = buf.readUInt16LE(at + 2);
    if (id === 0x0001) {
      let p = at + 4;
      const next = () => {
        if (p + 8 > at + 4 + size) throw badFile('a broken zip64 field');
        const v = u64(buf, p);
        p += 8;
        return v;
      };
      if (e.size === MAX32) e.size = next();
      if (e.compressedSize === MAX32) e.compressedSize = next();
      if (e.localOffset === MAX32) e.localOffset = next();
      return;
    }
    at += 4 + size;
  }
  throw badFile('zip64 sizes without their field');
}

/** An entry's stored bytes, found through its local header. */
function data(buf: Buffer, e: Entry): Buffer {
  const at = e.localOffset;
  if (at + 30 > buf.length || buf.readUInt32LE(at) !== LOCAL) throw badFile(`a broken entry "${e.name.slice(0, 60)}"`);
  const start = at + 30 + buf.readUInt16LE(at + 26) + buf.readUInt16LE(at + 28);
  if (start + e.compressedSize > buf.length) throw badFile(`a truncated entry "${e.name.slice(0, 60)}"`);
  return buf.subarray(start, start + e.compressedSize);
}

/** Counts `<si>` elements across chunks (the tail of the previous chunk is searched again with the next). */
function stringCounter(max: number) {
  const SI = /<(?:[A-Za-z]\w*:)?si[\s>/]/g;
  let tail = '';
  let count = 0;
  return (chunk: Buffer) => {
    const text = tail + chunk.toString('latin1');
    for (const m of text.matchAll(SI)) if (m.index + m[0].length > tail.length) count++;
    tail = text.slice(-16);
    if (count > max) throw tooLarge(`The workbook has more than ${max} shared strings (MAX_UPLOAD_SHARED_STRINGS)`, 'MAX_UPLOAD_SHARED_STRINGS');
  };
}

/** Inflate one entry, keeping nothing: refused once it yields more than it declared. */
function inflateCounted(stored: Buffer, e: Entry, onChunk?: (chunk: Buffer) => void): Promise<void> {
  return new Promise((resolve, reject) => {
    const z = createInflateRaw();
    let size = 0;
    const fail = (error: unknown) => {
      z.destroy();
      reject(error instanceof DomainError ? error : badFile(`entry "${e.name.slice(0, 60)}" does not inflate`));
    };
    z.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > e.size) return fail(badFile(`entry "${e.name.slice(0, 60)}" unpacks to more than the ${e.size} bytes it declares`));
      try {
        onChunk?.(chunk);
      } catch (error) {
        fail(error);
      }
    });
    z.on('error', fail);
    z.on('end', () => (size === e.size ? resolve() : fail(badFile(`entry "${e.name.slice(0, 60)}" unpacks to ${size} bytes, not the ${e.size} it declares`))));
    z.end(stored);
  });
}

/** Refuse an archive over the bounds before it is parsed (see the file's comment). */
export async function checkZip(buf: Buffer, bounds: ZipBounds): Promise<void> {
  for (const e of entries(buf, bounds)) {
    const stored = data(buf, e);
    const count = e.name === SHARED_STRINGS || e.name === `/${SHARED_STRINGS}` ? stringCounter(bounds.maxSharedStrings) : undefined;
    if (e.method === 0) {
      if (stored.length !== e.size) throw badFile(`entry "${e.name.slice(0, 60)}" is not the size it declares`);
      count?.(stored);
    } else if (e.method === 8) await inflateCounted(stored, e, count);
    else throw badFile(`entry "${e.name.slice(0, 60)}" uses compression method ${e.method}`);
  }
}
