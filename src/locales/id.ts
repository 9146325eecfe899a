/**
 * Indonesian is the default language and the source of truth for keys: `en.ts` must have the same shape
 * (checked by the type system), so a key missing in either file fails `npm run typecheck`.
 * Interpolated values ({{name}}) are HTML-escaped by the translator; `{{- html}}` marks pre-rendered HTML.
 */
export const id = {
  meta: { name: 'Bahasa Indonesia' },
  common: {
    error: 'Maaf, terjadi gangguan saat memproses pesan Anda. Tidak ada yang tersimpan dari pesan itu. Silakan coba lagi sebentar lagi.',
    unknownText: 'Maaf, saya belum mengerti pesan itu. Ketik /bantuan untuk melihat perintah yang bisa dipakai.',
    unknownCommand: 'Perintah {{command}} tidak dikenal. Ketik /bantuan untuk melihat perintah yang bisa dipakai.',
    back: '⬅️ Kembali',
    cancelled: 'Dibatalkan. Tidak ada yang disimpan.',
    nothingToCancel: 'Tidak ada proses yang sedang berjalan.',
    groupOnlyPrivate: 'Perintah ini hanya bisa dipakai di chat pribadi dengan bot.',
  },
  start: {
    greeting:
      'Halo, <b>{{name}}</b>! 👋\n' +
      'Etalase membantu eksportir Indonesia mendaftarkan produk dan melaporkan stok untuk kampanye ekspor seperti 11.11.\n' +
      'Pejabat kementerian memilih beberapa produk unggulan yang stoknya siap dari laporan Anda.',
    chooseLanguage: 'Pilih bahasa / Choose a language:',
    nextSteps: 'Ketik /bantuan untuk melihat apa saja yang bisa Anda lakukan.',
  },
  language: {
    prompt: 'Pilih bahasa yang Anda inginkan:',
    changed: 'Bahasa diubah ke Bahasa Indonesia.',
    unknown: 'Pilihan bahasa itu tidak tersedia. Pilih salah satu tombol di bawah.',
  },
  help: {
    title: '<b>Perintah Etalase</b>',
    everyone:
      '/start – mulai dan pilih bahasa\n' +
      '/bantuan – daftar perintah ini\n' +
      '/bahasa – ganti bahasa\n' +
      '/batal – keluar dari proses yang sedang berjalan',
    exporterTitle: '<b>Untuk eksportir</b>',
    exporter: 'Fitur pendaftaran usaha, produk, dan laporan stok akan segera tersedia.',
    officialTitle: '<b>Untuk pejabat</b>',
    official: 'Fitur kampanye, siaran, dan peninjauan akan segera tersedia.',
    adminTitle: '<b>Untuk admin</b>',
    admin: 'Pengelolaan pejabat akan segera tersedia.',
  },
  commands: {
    start: 'Mulai',
    help: 'Daftar perintah',
    language: 'Ganti bahasa',
    cancel: 'Batalkan proses',
  },
};

type Widen<T> = { [K in keyof T]: T[K] extends string ? string : Widen<T[K]> };
export type LocaleMessages = Widen<typeof id>;
