/** The six socio-economic regions a province belongs to (`Union.region`), as seeds/data/regions.csv names them. */
export const REGIONS: readonly { code: string; labelVi: string; labelEn: string }[] = [
  { code: 'TDMNPB', labelVi: 'Trung du và miền núi phía Bắc', labelEn: 'Northern midlands and mountains' },
  { code: 'DBSH', labelVi: 'Đồng bằng sông Hồng', labelEn: 'Red River Delta' },
  { code: 'BTB-DHMT', labelVi: 'Bắc Trung Bộ và duyên hải miền Trung', labelEn: 'North Central and Central Coast' },
  { code: 'TN', labelVi: 'Tây Nguyên', labelEn: 'Central Highlands' },
  { code: 'DNB', labelVi: 'Đông Nam Bộ', labelEn: 'Southeast' },
  { code: 'DBSCL', labelVi: 'Đồng bằng sông Cửu Long', labelEn: 'Mekong Delta' },
];
