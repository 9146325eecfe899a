import { sql } from 'drizzle-orm';
import { bigint, check, index, integer, numeric, pgEnum, pgTable, text, timestamp, uniqueIndex } from 'drizzle-orm/pg-core';
import { BASE_UNITS, CATEGORIES, CURRENCIES } from '../../domain/catalog.js';
import { users } from './users.js';

export const categoryEnum = pgEnum('product_category', CATEGORIES);
export const baseUnitEnum = pgEnum('base_unit', BASE_UNITS);
export const currencyEnum = pgEnum('currency', CURRENCIES);

export const businesses = pgTable(
  'businesses',
  {
    id: integer('id').primaryKey().generatedAlwaysAsIdentity(),
    ownerId: bigint('owner_id', { mode: 'bigint' })
      .notNull()
      .references(() => users.id),
    companyName: text('company_name').notNull(),
    nib: text('nib').notNull(),
    province: text('province').notNull(),
    city: text('city').notNull(),
    phone: text('phone').notNull(),
    email: text('email'),
    /** Whom officials should ask for; null until the owner names one (their Telegram name stands in). */
    contactName: text('contact_name'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [uniqueIndex('businesses_owner_uq').on(t.ownerId), uniqueIndex('businesses_nib_uq').on(t.nib)],
);

export const products = pgTable(
  'products',
  {
    id: integer('id').primaryKey().generatedAlwaysAsIdentity(),
    businessId: integer('business_id')
      .notNull()
      .references(() => businesses.id),
    /** Public handle such as KOPI-01; stored upper-case so the unique index is case-insensitive. */
    code: text('code').notNull(),
    name: text('name').notNull(),
    category: categoryEnum('category').notNull(),
    hsCode: text('hs_code'),
    baseUnit: baseUnitEnum('base_unit').notNull(),
    monthlyCapacity: numeric('monthly_capacity', { precision: 16, scale: 3, mode: 'number' }).notNull(),
    minOrder: numeric('min_order', { precision: 16, scale: 3, mode: 'number' }),
    price: numeric('price', { precision: 18, scale: 2, mode: 'number' }),
    currency: currencyEnum('currency'),
    certifications: text('certifications').array().notNull().default(sql`'{}'::text[]`),
    photoFileId: text('photo_file_id'),
    description: text('description').notNull(),
    archivedAt: timestamp('archived_at', { withTimezone: true }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
    /** The guided run that created it: saving the same run twice (a redelivery) finds this row. */
    requestKey: text('request_key'),
  },
  (t) => [
    uniqueIndex('products_code_uq').on(t.code),
    uniqueIndex('products_request_key_uq').on(t.requestKey),
    index('products_business_idx').on(t.businessId, t.archivedAt),
    check('products_code_upper', sql`${t.code} = upper(${t.code})`),
  ],
);

export type Business = typeof businesses.$inferSelect;
export type Product = typeof products.$inferSelect;
