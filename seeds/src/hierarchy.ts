/**
 * The seeded hierarchy: TLĐ, the 63 pre-2025 provinces and cities, the central sectoral unions,
 * a few corporate unions, and the direct superior unions under each (district federations,
 * industrial-zone unions, local sectoral unions, corporation unions) with plausible names.
 * Two restructurings happen inside 2013–2017 so the year-specific trees differ.
 */
import { readFileSync } from 'node:fs';
import { FIRST_YEAR, type SuccessionKind, type UnionKind } from '@unionhub/schema';
import { Random } from './random.js';

export interface SeedUnion {
  code: string;
  name: string;
  kind: UnionKind;
  level: number;
  parentCode: string | null;
  validFrom: number;
  validTo: number | null;
  region: string | null;
  gsoCode: string | null;
  sortOrder: number;
  /** Relative size, used to share national totals. */
  weight: number;
  /** Sector mix [public, state, private, fdi, other]. */
  sectorMix: number[];
}

export interface SeedSuccession {
  predecessor: string;
  successor: string;
  year: number;
  kind: SuccessionKind;
}

export interface SeedHierarchy {
  unions: SeedUnion[];
  successions: SeedSuccession[];
}

export const ROOT_CODE = 'TLD';

interface ProvinceRow {
  gso: string;
  name: string;
  kind: 'city' | 'province';
  region: string;
}

export function readProvinces(): ProvinceRow[] {
  const text = readFileSync(new URL('../data/provinces.csv', import.meta.url), 'utf8');
  return text
    .trim()
    .split('\n')
    .slice(1)
    .map((line) => {
      const [gso, name, kind, region] = line.split(',');
      return { gso: gso!, name: name!, kind: kind as ProvinceRow['kind'], region: region! };
    });
}

/** Provinces with many more workers than the rest (relative weight), and district counts that are known. */
const PROVINCE_WEIGHT: Record<string, number> = { '79': 9, '01': 6, '74': 5.5, '75': 4.5, '31': 2.5, '27': 2.2, '48': 1.8, '22': 1.8, '80': 1.8, '30': 1.6, '26': 1.5, '92': 1.3, '77': 1.5, '38': 1.6, '40': 1.5 };
const DISTRICT_COUNT: Record<string, number> = { '01': 30, '79': 24, '38': 27, '40': 21, '06': 8, '31': 15, '48': 8, '92': 9 };
/** Provinces with large industrial zones: more industrial-zone unions. */
const INDUSTRIAL_ZONES: Record<string, number> = { '79': 3, '74': 3, '75': 2, '01': 2, '27': 2, '31': 2, '26': 1, '30': 1, '22': 1, '48': 1, '80': 1, '77': 1, '19': 1, '24': 1, '36': 1, '92': 1 };

const LOCAL_SECTORS = [
  'Giáo dục', 'Y tế', 'Công Thương', 'Xây dựng', 'Nông nghiệp và Phát triển nông thôn', 'Giao thông vận tải',
  'Tài chính', 'Tài nguyên và Môi trường', 'Văn hóa, Thể thao và Du lịch', 'Thông tin và Truyền thông',
  'Kế hoạch và Đầu tư', 'Lao động - Thương binh và Xã hội',
];

const SECTORAL_UNIONS: [string, number][] = [
  ['Công đoàn Giáo dục Việt Nam', 1.4], ['Công đoàn Y tế Việt Nam', 1.2], ['Công đoàn Công Thương Việt Nam', 1.3],
  ['Công đoàn Xây dựng Việt Nam', 1.0], ['Công đoàn Giao thông vận tải Việt Nam', 0.9], ['Công đoàn Ngân hàng Việt Nam', 1.0],
  ['Công đoàn Dầu khí Việt Nam', 0.8], ['Công đoàn Điện lực Việt Nam', 0.9], ['Công đoàn Cao su Việt Nam', 0.8],
  ['Công đoàn Dệt May Việt Nam', 1.1], ['Công đoàn Bưu điện Việt Nam', 0.6], ['Công đoàn Nông nghiệp và Phát triển nông thôn Việt Nam', 0.7],
  ['Công đoàn Viên chức Việt Nam', 0.8], ['Công đoàn Quốc phòng', 0.9], ['Công đoàn Công an Nhân dân', 0.5],
  ['Công đoàn Than - Khoáng sản Việt Nam', 0.8], ['Công đoàn Tài chính Việt Nam', 0.5], ['Công đoàn Thông tin và Truyền thông Việt Nam', 0.5],
  ['Công đoàn Hàng hải Việt Nam', 0.4], ['Công đoàn Văn hóa, Thể thao và Du lịch Việt Nam', 0.4],
];

const CORPORATE_UNIONS: [string, number][] = [
  ['Công đoàn Tổng công ty Hàng không Việt Nam', 0.6],
  ['Công đoàn Tổng công ty Đường sắt Việt Nam', 0.5],
  ['Công đoàn Tập đoàn Công nghiệp - Viễn thông Quân đội', 0.5],
  ['Công đoàn Tổng công ty Công nghiệp Tàu thủy', 0.3],
];

const CORPORATION_PREFIX = ['Tổng công ty', 'Tập đoàn', 'Công ty'];
const CORPORATION_NAMES = ['Sông Đà', 'Miền Bắc', 'Miền Trung', 'Miền Nam', 'Thăng Long', 'Sài Gòn', 'Cửu Long', 'Tây Nguyên', 'Hồng Hà', 'Đông Á', 'Phương Nam', 'Hải Vân', 'Bạch Đằng', 'Trường Sơn', 'Duyên Hải'];

const FIRST_SYLLABLES = ['An', 'Bình', 'Phú', 'Yên', 'Thanh', 'Tân', 'Hòa', 'Vĩnh', 'Đông', 'Tây', 'Nam', 'Bắc', 'Long', 'Hưng', 'Phước', 'Quảng', 'Thạch', 'Kim', 'Đức', 'Thuận', 'Mỹ', 'Cẩm', 'Hải', 'Gia', 'Xuân', 'Lạc', 'Chợ', 'Đại', 'Tiên', 'Ninh', 'Châu', 'Văn', 'Hoài', 'Trà', 'Lương', 'Sơn'];
const SECOND_SYLLABLES = ['Sơn', 'Lâm', 'Hòa', 'Bình', 'Thành', 'Phong', 'Lộc', 'Điền', 'Giang', 'Hà', 'Yên', 'Xuyên', 'Mỹ', 'Định', 'Thủy', 'Ninh', 'Lợi', 'Phú', 'Tiến', 'Hưng', 'Đức', 'Trạch', 'Quan', 'Đồng', 'Khê', 'Thịnh', 'Vân', 'Lăng', 'Mới', 'Cát'];

/** Sector mixes by kind of unit: [public, state, private, fdi, other]. */
function sectorMix(kind: UnionKind, rnd: Random): number[] {
  const base: Record<string, number[]> = {
    district_federation: [0.34, 0.08, 0.38, 0.12, 0.08],
    industrial_zone_union: [0.01, 0.04, 0.35, 0.59, 0.01],
    local_sectoral_union: [0.72, 0.14, 0.1, 0.02, 0.02],
    corporation_union: [0.02, 0.78, 0.15, 0.04, 0.01],
  };
  return (base[kind] ?? [0.2, 0.2, 0.3, 0.2, 0.1]).map((x) => x * rnd.between(0.7, 1.3));
}

export function buildHierarchy(): SeedHierarchy {
  const unions: SeedUnion[] = [];
  const successions: SeedSuccession[] = [];
  const usedNames = new Set<string>();
  const add = (u: Omit<SeedUnion, 'sectorMix' | 'weight' | 'region' | 'gsoCode' | 'validTo' | 'validFrom'> & Partial<SeedUnion>) => {
    const rnd = new Random(`mix:${u.code}`);
    const full: SeedUnion = {
      validFrom: FIRST_YEAR,
      validTo: null,
      region: null,
      gsoCode: null,
      weight: 1,
      sectorMix: sectorMix(u.kind, rnd),
      ...u,
    };
    unions.push(full);
    return full;
  };

  add({ code: ROOT_CODE, name: 'Tổng Liên đoàn Lao động Việt Nam', kind: 'confederation', level: 0, parentCode: null, sortOrder: 0 });

  // Level 1: provinces and cities, then central sectoral unions, then corporate unions.
  const provinces = readProvinces();
  provinces.forEach((p, i) => {
    const code = `P${p.gso}`;
    const name = p.name.startsWith('Thành phố') ? `LĐLĐ ${p.name}` : `LĐLĐ ${p.kind === 'city' ? 'thành phố' : 'tỉnh'} ${p.name}`;
    add({ code, name, kind: 'provincial_federation', level: 1, parentCode: ROOT_CODE, sortOrder: i, region: p.region, gsoCode: p.gso });
    const rnd = new Random(`province:${p.gso}`);
    const provinceWeight = (PROVINCE_WEIGHT[p.gso] ?? 1) * rnd.between(0.6, 1.3);
    const shortName = p.name.replace(/^Thành phố /, '');
    let order = 0;
    const districts = DISTRICT_COUNT[p.gso] ?? rnd.int(8, 16);
    for (let d = 1; d <= districts; d++) {
      let place: string;
      do {
        place = `${rnd.pick(FIRST_SYLLABLES)} ${rnd.pick(SECOND_SYLLABLES)}`;
      } while (usedNames.has(place) || place.split(' ')[0] === place.split(' ')[1]);
      usedNames.add(place);
      const seat = d === 1 ? (p.kind === 'city' ? `quận ${place}` : `thành phố ${place}`) : p.kind === 'city' ? (d % 3 === 0 ? `huyện ${place}` : `quận ${place}`) : d % 5 === 0 ? `thị xã ${place}` : `huyện ${place}`;
      add({ code: `${code}-H${String(d).padStart(2, '0')}`, name: `LĐLĐ ${seat}`, kind: 'district_federation', level: 2, parentCode: code, sortOrder: order++, weight: provinceWeight * rnd.between(0.5, 1.6) });
    }
    const zones = INDUSTRIAL_ZONES[p.gso] ?? 0;
    for (let k = 1; k <= zones; k++) {
      const name = zones === 1 ? `Công đoàn các Khu công nghiệp tỉnh ${shortName}` : `Công đoàn Khu công nghiệp ${shortName} ${['I', 'II', 'III'][k - 1]}`;
      add({ code: `${code}-K${String(k).padStart(2, '0')}`, name, kind: 'industrial_zone_union', level: 2, parentCode: code, sortOrder: order++, weight: provinceWeight * rnd.between(2.5, 5) });
    }
    const sectors = p.gso === '06' ? 12 : rnd.int(3, 8);
    for (let n = 1; n <= sectors; n++) {
      const name = n === LOCAL_SECTORS.length ? `Công đoàn Viên chức tỉnh ${shortName}` : `Công đoàn ngành ${LOCAL_SECTORS[n - 1]} ${p.kind === 'city' ? 'thành phố' : 'tỉnh'} ${shortName}`;
      add({ code: `${code}-N${String(n).padStart(2, '0')}`, name, kind: 'local_sectoral_union', level: 2, parentCode: code, sortOrder: order++, weight: provinceWeight * rnd.between(0.6, 1.5) });
    }
  });

  SECTORAL_UNIONS.forEach(([name, size], i) => {
    const code = `N${String(i + 1).padStart(2, '0')}`;
    add({ code, name, kind: 'sectoral_union', level: 1, parentCode: ROOT_CODE, sortOrder: 100 + i });
    const rnd = new Random(`sectoral:${code}`);
    const children = rnd.int(5, 11);
    const short = name.replace(/^Công đoàn /, '').replace(/ Việt Nam$/, '');
    for (let c = 1; c <= children; c++) {
      const corp = `${rnd.pick(CORPORATION_PREFIX)} ${short} ${CORPORATION_NAMES[(c - 1 + i) % CORPORATION_NAMES.length]}`;
      add({ code: `${code}-C${String(c).padStart(2, '0')}`, name: `Công đoàn ${corp}`, kind: 'corporation_union', level: 2, parentCode: code, sortOrder: c, weight: size * rnd.between(0.8, 2.2) });
    }
  });

  CORPORATE_UNIONS.forEach(([name, size], i) => {
    const code = `T${String(i + 1).padStart(2, '0')}`;
    add({ code, name, kind: 'corporate_union', level: 1, parentCode: ROOT_CODE, sortOrder: 200 + i });
    const rnd = new Random(`corporate:${code}`);
    const children = rnd.int(3, 6);
    for (let c = 1; c <= children; c++) {
      add({ code: `${code}-C${String(c).padStart(2, '0')}`, name: `Công đoàn Công ty ${CORPORATION_NAMES[(c + 3 * i) % CORPORATION_NAMES.length]} (${name.replace(/^Công đoàn /, '')})`, kind: 'corporation_union', level: 2, parentCode: code, sortOrder: c, weight: size * rnd.between(1, 2) });
    }
  });

  restructure(unions, successions);
  return { unions, successions };
}

/**
 * A district federation of Hà Nội split in two from 2016; two industrial-zone unions of
 * Bình Dương merged from 2015.
 */
function restructure(unions: SeedUnion[], successions: SeedSuccession[]): void {
  const byCode = new Map(unions.map((u) => [u.code, u]));
  const split = byCode.get('P01-H05')!;
  split.validTo = 2015;
  const place = split.name.replace(/^LĐLĐ (huyện|quận|thị xã|thành phố) /, '');
  const parts: [string, string, number][] = [
    ['P01-H31', `LĐLĐ quận ${place}`, 0.6],
    ['P01-H32', `LĐLĐ quận Bắc ${place.split(' ')[1]}`, 0.4],
  ];
  for (const [code, name, share] of parts) {
    unions.push({ ...split, code, name, validFrom: 2016, validTo: null, weight: split.weight * share, sortOrder: split.sortOrder });
    successions.push({ predecessor: split.code, successor: code, year: 2016, kind: 'split' });
  }
  const merged = ['P74-K01', 'P74-K02'].map((c) => byCode.get(c)!);
  for (const m of merged) m.validTo = 2014;
  unions.push({
    ...merged[0]!,
    code: 'P74-K04',
    name: 'Công đoàn các Khu công nghiệp Bình Dương',
    validFrom: 2015,
    validTo: null,
    weight: merged[0]!.weight + merged[1]!.weight,
  });
  for (const m of merged) successions.push({ predecessor: m.code, successor: 'P74-K04', year: 2015, kind: 'merge' });
}
