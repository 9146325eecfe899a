import { describe, expect, it } from 'vitest';
import {
  PROVINCES,
  ZONE_TIMEZONES,
  matchProvince,
  provinceByName,
  zoneOfTimeZone,
} from '../../src/domain/provinces.js';

describe('PROVINCES data', () => {
  it('holds the 38 provinces with unique names and consistent zones', () => {
    expect(PROVINCES).toHaveLength(38);
    expect(new Set(PROVINCES.map((p) => p.name)).size).toBe(38);
    for (const p of PROVINCES) expect(zoneOfTimeZone(p.timeZone)).toBe(p.zone);
  });

  it('has no alias shared by two provinces', () => {
    const all = PROVINCES.flatMap((p) => [...p.aliases]);
    expect(new Set(all).size).toBe(all.length);
  });
});

describe('matchProvince', () => {
  it.each([
    ['Jawa Timur', 'Jawa Timur'],
    ['  jawa   TIMUR ', 'Jawa Timur'],
    ['jatim', 'Jawa Timur'],
    ['Provinsi Jawa Barat', 'Jawa Barat'],
    ['prov. bali', 'Bali'],
    ['Prov.Bali', 'Bali'],
    ['province of Aceh', 'Aceh'],
    ['kalimantan ti', 'Kalimantan Timur'],
    ['Papua', 'Papua'],
    ['papua barat', 'Papua Barat'],
    ['papua barat d', 'Papua Barat Daya'],
    ['goro', 'Gorontalo'],
    ['jakarta', 'DKI Jakarta'],
    ['d.i. yogyakarta', 'DI Yogyakarta'],
    ['jogja', 'DI Yogyakarta'],
    ['north sumatra', 'Sumatera Utara'],
    ['NTT', 'Nusa Tenggara Timur'],
  ])('%j → %s', (input, expected) => {
    expect(matchProvince(input)?.name).toBe(expected);
  });

  it.each([
    'kalimantan', // ambiguous prefix
    'sulawesi teng', // Tengah vs Tenggara
    'papua bar', // Papua Barat vs Papua Barat Daya
    'jaw', // fewer than 4 letters
    'bal', // fewer than 4 letters, not an exact alias
    'atlantis',
    '',
    '   ',
    'provinsi ',
  ])('%j → null', (input) => {
    expect(matchProvince(input)).toBeNull();
  });
});

describe('provinceByName / zones', () => {
  it('finds by canonical name only', () => {
    expect(provinceByName('Bali')?.zone).toBe('WITA');
    expect(provinceByName('kalimantan barat')?.timeZone).toBe('Asia/Pontianak');
    expect(provinceByName('jatim')).toBeNull();
  });

  it('maps time zones to labels and back', () => {
    expect(zoneOfTimeZone('Asia/Jakarta')).toBe('WIB');
    expect(zoneOfTimeZone('Asia/Pontianak')).toBe('WIB');
    expect(zoneOfTimeZone('Asia/Makassar')).toBe('WITA');
    expect(zoneOfTimeZone('Asia/Jayapura')).toBe('WIT');
    expect(zoneOfTimeZone('Europe/Berlin')).toBeNull();
    expect(ZONE_TIMEZONES).toEqual({ WIB: 'Asia/Jakarta', WITA: 'Asia/Makassar', WIT: 'Asia/Jayapura' });
  });
});
