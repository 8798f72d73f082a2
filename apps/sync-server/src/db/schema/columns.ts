// Column helpers shared by the schema files: text that sorts byte-wise, and the timestamps.
import { customType, timestamp } from 'drizzle-orm/pg-core';

/**
 * Text compared byte by byte (`COLLATE "C"`), for every column the catalog sorts or ranges over
 * (paths, folders, local capture times, months, camera names). The desktop's SQLite compares
 * bytes; a server whose database uses a linguistic collation (en_US.UTF-8) would otherwise order
 * folders and dates differently, and a folder's path range could miss or include other folders.
 */
export const ctext = customType<{ data: string; driverData: string }>({
  dataType: () => 'text COLLATE "C"',
});

/** A point in time (timestamptz), read as a Date. */
export const ts = (name: string) => timestamp(name, { withTimezone: true, mode: 'date' });
