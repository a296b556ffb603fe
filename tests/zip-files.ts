/**
 * Zip files built by hand for the upload tests: honest ones, ones that lie about their sizes, and
 * floods (a sheet that inflates to hundreds of MB, many entries, many shared strings), each made
 * without holding the inflated text in memory.
 */
import { crc32, createDeflateRaw, deflateRawSync } from 'node:zlib';

export interface ZipEntry {
  name: string;
  /** The stored bytes (deflated when `method` is 8). */
  data: Buffer;
  method?: 0 | 8;
  /** What the headers declare; default the real sizes. */
  size?: number;
  crc?: number;
}

/** A zip archive; with more than 65,535 entries it ends with a zip64 end record, as writers do. */
export function zip(entries: ZipEntry[]): Buffer {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const e of entries) {
    const name = Buffer.from(e.name);
    const method = e.method ?? 0;
    const size = e.size ?? e.data.length;
    const crc = e.crc ?? 0;
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0); local.writeUInt16LE(20, 4); local.writeUInt16LE(method, 8); local.writeUInt32LE(crc, 14);
    local.writeUInt32LE(e.data.length, 18); local.writeUInt32LE(size, 22); local.writeUInt16LE(name.length, 26);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0); central.writeUInt16LE(20, 4); central.writeUInt16LE(20, 6); central.writeUInt16LE(method, 10);
    central.writeUInt32LE(crc, 16); central.writeUInt32LE(e.data.length, 20); central.writeUInt32LE(size, 24); central.writeUInt16LE(name.length, 28);
    central.writeUInt32LE(offset, 42);
    locals.push(local, name, e.data);
    centrals.push(central, name);
    offset += local.length + name.length + e.data.length;
  }
  const cd = Buffer.concat(centrals);
  const count = entries.length;
  const tail: Buffer[] = [];
  if (count > 0xffff) {
    const z64 = Buffer.alloc(56);
    z64.writeUInt32LE(0x06064b50, 0); z64.writeBigUInt64LE(44n, 4); z64.writeUInt16LE(45, 12); z64.writeUInt16LE(45, 14);
    z64.writeBigUInt64LE(BigInt(count), 24); z64.writeBigUInt64LE(BigInt(count), 32);
    z64.writeBigUInt64LE(BigInt(cd.length), 40); z64.writeBigUInt64LE(BigInt(offset), 48);
    const locator = Buffer.alloc(20);
    locator.writeUInt32LE(0x07064b50, 0); locator.writeBigUInt64LE(BigInt(offset + cd.length), 8); locator.writeUInt32LE(1, 16);
    tail.push(z64, locator);
  }
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0); end.writeUInt16LE(Math.min(count, 0xffff), 8); end.writeUInt16LE(Math.min(count, 0xffff), 10);
  end.writeUInt32LE(cd.length, 12); end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, cd, ...tail, end]);
}

const stored = (name: string, text: string): ZipEntry => ({ name, data: Buffer.from(text), crc: crc32(Buffer.from(text)) });
const deflated = (name: string, text: string): ZipEntry => ({ name, data: deflateRawSync(Buffer.from(text)), method: 8, size: Buffer.byteLength(text), crc: crc32(Buffer.from(text)) });

const NS = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"';
/** The parts every workbook has, around one worksheet (and shared strings when given). */
function workbookParts(withSharedStrings: boolean): ZipEntry[] {
  return [
    stored('[Content_Types].xml', `<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>${withSharedStrings ? '<Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>' : ''}</Types>`),
    stored('_rels/.rels', '<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>'),
    stored('xl/workbook.xml', `<?xml version="1.0"?><workbook ${NS} xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="Số liệu" sheetId="1" r:id="rId1"/></sheets></workbook>`),
    stored('xl/_rels/workbook.xml.rels', `<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/>${withSharedStrings ? '<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/>' : ''}</Relationships>`),
  ];
}

/** Deflate `head`, then `chunk` `times` times, then `tail`, without ever holding the whole text. */
async function deflateRepeated(head: string, chunk: Buffer, times: number, tail: string): Promise<{ data: Buffer; size: number }> {
  const z = createDeflateRaw({ level: 9 });
  const out: Buffer[] = [];
  z.on('data', (c: Buffer) => out.push(c));
  const done = new Promise((resolve) => z.on('end', resolve));
  const write = (b: Buffer) => new Promise<void>((resolve) => (z.write(b) ? resolve() : z.once('drain', () => resolve())));
  await write(Buffer.from(head));
  for (let i = 0; i < times; i++) await write(chunk);
  z.end(Buffer.from(tail));
  await done;
  return { data: Buffer.concat(out), size: Buffer.byteLength(head) + chunk.length * times + Buffer.byteLength(tail) };
}

/** A workbook whose sheet XML inflates to `mb` MB of blanks; `declared` lies about its size when given. */
export async function zipBomb(mb: number, declared?: number): Promise<Buffer> {
  const sheet = await deflateRepeated(`<?xml version="1.0"?><worksheet ${NS}><sheetData>`, Buffer.alloc(1024 * 1024, ' '), mb, '</sheetData></worksheet>');
  return zip([...workbookParts(false), { name: 'xl/worksheets/sheet1.xml', data: sheet.data, method: 8, size: declared ?? sheet.size }]);
}

/** A small workbook with `n` shared strings (each a few bytes). */
export async function sharedStringFlood(n: number): Promise<Buffer> {
  const strings = await deflateRepeated(`<?xml version="1.0"?><sst ${NS} count="${n}" uniqueCount="${n}">`, Buffer.from('<si><t>x</t></si>'.repeat(1000)), n / 1000, '</sst>');
  return zip([
    ...workbookParts(true),
    deflated('xl/worksheets/sheet1.xml', `<?xml version="1.0"?><worksheet ${NS}><sheetData/></worksheet>`),
    { name: 'xl/sharedStrings.xml', data: strings.data, method: 8, size: strings.size },
  ]);
}

/** A workbook followed by `n` empty entries. */
export function entryFlood(n: number): Buffer {
  const extra = Array.from({ length: n }, (_, i) => stored(`x/${i}`, ''));
  return zip([...workbookParts(false), deflated('xl/worksheets/sheet1.xml', `<?xml version="1.0"?><worksheet ${NS}><sheetData/></worksheet>`), ...extra]);
}

