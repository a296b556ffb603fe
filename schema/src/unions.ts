/** Union kinds and the level each sits on under the Charter (0 = TLĐ … 3 = grassroots). */
export interface UnionKindDef {
  kind: UnionKind;
  level: 0 | 1 | 2 | 3;
  labelVi: string;
  labelEn: string;
}

export const UNION_KINDS = [
  { kind: 'confederation', level: 0, labelVi: 'Tổng Liên đoàn', labelEn: 'Confederation' },
  { kind: 'provincial_federation', level: 1, labelVi: 'LĐLĐ tỉnh, thành phố', labelEn: 'Provincial/city labour federation' },
  { kind: 'sectoral_union', level: 1, labelVi: 'Công đoàn ngành Trung ương', labelEn: 'Central sectoral union' },
  { kind: 'corporate_union', level: 1, labelVi: 'Công đoàn Tổng công ty trực thuộc TLĐ', labelEn: 'Corporate union under TLĐ' },
  { kind: 'district_federation', level: 2, labelVi: 'LĐLĐ quận, huyện, thị xã, thành phố', labelEn: 'District labour federation' },
  { kind: 'industrial_zone_union', level: 2, labelVi: 'Công đoàn khu công nghiệp, khu kinh tế', labelEn: 'Industrial/economic zone union' },
  { kind: 'local_sectoral_union', level: 2, labelVi: 'Công đoàn ngành địa phương', labelEn: 'Local sectoral union' },
  { kind: 'corporation_union', level: 2, labelVi: 'Công đoàn tổng công ty', labelEn: 'Corporation union' },
  { kind: 'grassroots', level: 3, labelVi: 'Công đoàn cơ sở', labelEn: 'Grassroots union' },
] as const satisfies readonly { kind: string; level: number; labelVi: string; labelEn: string }[];

export type UnionKind = (typeof UNION_KINDS)[number]['kind'];

export const UNION_LEVELS = [
  { level: 0, labelVi: 'Tổng Liên đoàn', labelEn: 'Confederation' },
  { level: 1, labelVi: 'Cấp tỉnh, ngành Trung ương', labelEn: 'Provincial and central level' },
  { level: 2, labelVi: 'Cấp trên trực tiếp cơ sở', labelEn: 'Direct superior of grassroots' },
  { level: 3, labelVi: 'Công đoàn cơ sở', labelEn: 'Grassroots' },
] as const;

export const SUCCESSION_KINDS = ['merge', 'split', 'rename'] as const;
export type SuccessionKind = (typeof SUCCESSION_KINDS)[number];
