import postgres from 'postgres';

/** An empty database of its own for one bench part, dropped (with force) when it is done. */
export async function freshDb(adminUrl: string, tag: string): Promise<{ url: string; drop: () => Promise<void> }> {
  const name = `etalase_bench_${tag}_${Date.now().toString(36)}`;
  const admin = postgres(adminUrl, { max: 1, onnotice: () => undefined });
  await admin.unsafe(`create database "${name}"`);
  const u = new URL(adminUrl);
  u.pathname = `/${name}`;
  return {
    url: u.toString(),
    drop: async () => {
      await admin.unsafe(`drop database if exists "${name}" with (force)`);
      await admin.end();
    },
  };
}
