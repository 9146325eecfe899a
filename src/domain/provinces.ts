// Embedded copy of shared/data/provinces.json: the bot must not read shared
// data at run time, and a literal array gives callers typed province names.
export const PROVINCES = [
  { name: 'Aceh', timeZone: 'Asia/Jakarta', zone: 'WIB', aliases: ['aceh', 'nad'] },
  { name: 'Sumatera Utara', timeZone: 'Asia/Jakarta', zone: 'WIB', aliases: ['sumut', 'sumatra utara', 'north sumatra'] },
  { name: 'Sumatera Barat', timeZone: 'Asia/Jakarta', zone: 'WIB', aliases: ['sumbar', 'sumatra barat', 'west sumatra'] },
  { name: 'Riau', timeZone: 'Asia/Jakarta', zone: 'WIB', aliases: ['riau'] },
  { name: 'Kepulauan Riau', timeZone: 'Asia/Jakarta', zone: 'WIB', aliases: ['kepri', 'riau islands'] },
  { name: 'Jambi', timeZone: 'Asia/Jakarta', zone: 'WIB', aliases: ['jambi'] },
  { name: 'Sumatera Selatan', timeZone: 'Asia/Jakarta', zone: 'WIB', aliases: ['sumsel', 'sumatra selatan', 'south sumatra'] },
  { name: 'Kepulauan Bangka Belitung', timeZone: 'Asia/Jakarta', zone: 'WIB', aliases: ['babel', 'bangka belitung'] },
  { name: 'Bengkulu', timeZone: 'Asia/Jakarta', zone: 'WIB', aliases: ['bengkulu'] },
  { name: 'Lampung', timeZone: 'Asia/Jakarta', zone: 'WIB', aliases: ['lampung'] },
  { name: 'DKI Jakarta', timeZone: 'Asia/Jakarta', zone: 'WIB', aliases: ['dki', 'jakarta'] },
  { name: 'Jawa Barat', timeZone: 'Asia/Jakarta', zone: 'WIB', aliases: ['jabar', 'west java'] },
  { name: 'Banten', timeZone: 'Asia/Jakarta', zone: 'WIB', aliases: ['banten'] },
  { name: 'Jawa Tengah', timeZone: 'Asia/Jakarta', zone: 'WIB', aliases: ['jateng', 'central java'] },
  { name: 'DI Yogyakarta', timeZone: 'Asia/Jakarta', zone: 'WIB', aliases: ['diy', 'jogja', 'yogya', 'yogyakarta'] },
  { name: 'Jawa Timur', timeZone: 'Asia/Jakarta', zone: 'WIB', aliases: ['jatim', 'east java'] },
  { name: 'Kalimantan Barat', timeZone: 'Asia/Pontianak', zone: 'WIB', aliases: ['kalbar', 'west kalimantan'] },
  { name: 'Kalimantan Tengah', timeZone: 'Asia/Pontianak', zone: 'WIB', aliases: ['kalteng', 'central kalimantan'] },
  { name: 'Bali', timeZone: 'Asia/Makassar', zone: 'WITA', aliases: ['bali'] },
  { name: 'Nusa Tenggara Barat', timeZone: 'Asia/Makassar', zone: 'WITA', aliases: ['ntb', 'west nusa tenggara'] },
  { name: 'Nusa Tenggara Timur', timeZone: 'Asia/Makassar', zone: 'WITA', aliases: ['ntt', 'east nusa tenggara'] },
  { name: 'Kalimantan Selatan', timeZone: 'Asia/Makassar', zone: 'WITA', aliases: ['kalsel', 'south kalimantan'] },
  { name: 'Kalimantan Timur', timeZone: 'Asia/Makassar', zone: 'WITA', aliases: ['kaltim', 'east kalimantan'] },
  { name: 'Kalimantan Utara', timeZone: 'Asia/Makassar', zone: 'WITA', aliases: ['kaltara', 'north kalimantan'] },
  { name: 'Sulawesi Utara', timeZone: 'Asia/Makassar', zone: 'WITA', aliases: ['sulut', 'north sulawesi'] },
  { name: 'Gorontalo', timeZone: 'Asia/Makassar', zone: 'WITA', aliases: ['gorontalo'] },
  { name: 'Sulawesi Tengah', timeZone: 'Asia/Makassar', zone: 'WITA', aliases: ['sulteng', 'central sulawesi'] },
  { name: 'Sulawesi Barat', timeZone: 'Asia/Makassar', zone: 'WITA', aliases: ['sulbar', 'west sulawesi'] },
  { name: 'Sulawesi Selatan', timeZone: 'Asia/Makassar', zone: 'WITA', aliases: ['sulsel', 'south sulawesi'] },
  { name: 'Sulawesi Tenggara', timeZone: 'Asia/Makassar', zone: 'WITA', aliases: ['sultra', 'southeast sulawesi'] },
  { name: 'Maluku', timeZone: 'Asia/Jayapura', zone: 'WIT', aliases: ['maluku'] },
  { name: 'Maluku Utara', timeZone: 'Asia/Jayapura', zone: 'WIT', aliases: ['malut', 'north maluku'] },
  { name: 'Papua', timeZone: 'Asia/Jayapura', zone: 'WIT', aliases: ['papua'] },
  { name: 'Papua Barat', timeZone: 'Asia/Jayapura', zone: 'WIT', aliases: ['pabar', 'west papua'] },
  { name: 'Papua Barat Daya', timeZone: 'Asia/Jayapura', zone: 'WIT', aliases: ['southwest papua'] },
  { name: 'Papua Selatan', timeZone: 'Asia/Jayapura', zone: 'WIT', aliases: ['south papua'] },
  { name: 'Papua Tengah', timeZone: 'Asia/Jayapura', zone: 'WIT', aliases: ['central papua'] },
  { name: 'Papua Pegunungan', timeZone: 'Asia/Jayapura', zone: 'WIT', aliases: ['highland papua'] },
] as const;

export type ZoneLabel = 'WIB' | 'WITA' | 'WIT';
export type ProvinceName = (typeof PROVINCES)[number]['name'];
export type ProvinceTimeZone = (typeof PROVINCES)[number]['timeZone'];

// A widened shape: a union of 38 literal tuples would make `aliases` awkward
// to use (e.g. `.includes` would not accept a plain string).
export interface Province {
  readonly name: ProvinceName;
  readonly timeZone: ProvinceTimeZone;
  readonly zone: ZoneLabel;
  readonly aliases: readonly string[];
}

const ALL: readonly Province[] = PROVINCES;

export const ZONE_TIMEZONES: Record<ZoneLabel, string> = {
  WIB: 'Asia/Jakarta',
  WITA: 'Asia/Makassar',
  WIT: 'Asia/Jayapura',
};

// Derived from the data so that Asia/Pontianak (Kalimantan Barat/Tengah) is WIB too.
const ZONE_BY_TZ: ReadonlyMap<string, ZoneLabel> = new Map(ALL.map((p) => [p.timeZone, p.zone]));

export function zoneOfTimeZone(tz: string): ZoneLabel | null {
  return ZONE_BY_TZ.get(tz) ?? null;
}

const PREFIX_RE = /^(?:provinsi\s+|prov\.\s*|prov\s+|province of\s+)/;
const MIN_PREFIX_LETTERS = 4;

function normalize(text: string): string {
  const collapsed = text.toLowerCase().trim().replace(/\s+/g, ' ');
  // Dots are dropped after the prefix so "d.i. yogyakarta" still matches "DI Yogyakarta".
  return collapsed.replace(PREFIX_RE, '').replace(/\./g, '').replace(/\s+/g, ' ').trim();
}

const KEYS: readonly { province: Province; keys: readonly string[] }[] = ALL.map((p) => ({
  province: p,
  keys: [normalize(p.name), ...p.aliases.map(normalize)],
}));

export function provinceByName(name: string): Province | null {
  const wanted = normalize(name);
  return ALL.find((p) => normalize(p.name) === wanted) ?? null;
}

export function matchProvince(text: string): Province | null {
  const q = normalize(text);
  if (q === '') return null;
  const exact = KEYS.find((k) => k.keys.includes(q));
  if (exact) return exact.province;
  if ((q.match(/[a-z]/g) ?? []).length < MIN_PREFIX_LETTERS) return null;
  const hits = KEYS.filter((k) => k.keys.some((key) => key.startsWith(q)));
  return hits.length === 1 && hits[0] ? hits[0].province : null;
}
