import { z } from 'zod';
import { parseEmail } from '../../../domain/email.js';
import { parseNib } from '../../../domain/nib.js';
import { normalizeIndonesianPhone } from '../../../domain/phone.js';
import { matchProvince, PROVINCES, provinceByName } from '../../../domain/provinces.js';
import { escapeHtml } from '../../../domain/text.js';
import { parseContactName, saveBusiness, type Business } from '../../../services/businesses.js';
import { answerSchema, bad, good, textAnswer } from '../../flow-engine/answers.js';
import { defineFlow } from '../../flow-engine/define.js';

/**
 * The profile's answers. Email and contact may be skipped (null), and `/profil` starts from the saved
 * business, whose missing email or contact is null too; a draft from before the contact step has no key.
 */
const registerDraft = z.object({
  company: z.string().optional(),
  nib: z.string().optional(),
  prov: z.string().optional(),
  city: z.string().optional(),
  phone: z.string().optional(),
  email: z.string().nullable().optional(),
  contact: z.string().nullable().optional(),
});
type RegisterDraft = z.infer<typeof registerDraft>;

/**
 * Business profile: `/daftar` to register, `/profil` to change it (same steps, opened at the card).
 * New steps go at the end: buttons carry the step's index, so a card sent before a release stays valid.
 */
export const registerFlow = defineFlow({
  name: 'register',
  title: 'register.title',
  draft: registerDraft,
  steps: [
    {
      id: 'company',
      prompt: 'register.askCompany',
      label: 'register.fieldCompany',
      schema: () =>
        textAnswer((t) => {
          const v = t.replace(/\s+/g, ' ').trim();
          return v.length >= 2 && v.length <= 120 ? good(v) : bad('register.errCompany');
        }),
      display: escapeHtml,
    },
    {
      id: 'nib',
      prompt: 'register.askNib',
      label: 'register.fieldNib',
      schema: () =>
        textAnswer((t) => {
          const r = parseNib(t);
          if (r.ok) return good(r.value);
          return bad(r.error === 'nib_not_digits' ? 'register.errNibDigits' : 'register.errNibLength');
        }),
      display: escapeHtml,
    },
    {
      id: 'prov',
      prompt: 'register.askProvince',
      label: 'register.fieldProvince',
      keyboard: () => ({
        type: 'choices',
        columns: 2,
        pageSize: 12,
        options: PROVINCES.map((p, i) => ({ value: String(i), label: p.name })),
      }),
      schema: () =>
        answerSchema((input) => {
          if (input.kind === 'choice') {
            const p = PROVINCES[Number(input.value)];
            return p ? good(p.name) : bad('register.errProvince');
          }
          if (input.kind === 'text') {
            const p = matchProvince(input.text);
            return p ? good(p.name) : bad('register.errProvince');
          }
          return bad('register.errProvince');
        }),
      display: (v) => {
        const p = provinceByName(v);
        return p ? `${escapeHtml(p.name)} (${p.zone})` : escapeHtml(v);
      },
    },
    {
      id: 'city',
      prompt: 'register.askCity',
      label: 'register.fieldCity',
      schema: () =>
        textAnswer((t) => {
          const v = t.replace(/\s+/g, ' ').trim();
          return v.length >= 2 && v.length <= 80 ? good(v) : bad('register.errCity');
        }),
      display: escapeHtml,
    },
    {
      id: 'phone',
      prompt: 'register.askPhone',
      label: 'register.fieldPhone',
      keyboard: ({ t }) => ({ type: 'contact', label: t('register.shareContact') }),
      schema: () =>
        answerSchema((input) => {
          if (input.kind === 'contact') {
            // Telegram fills contact.user_id; only the sender's own card proves the number is theirs.
            if (!input.own) return bad('register.errContactNotOwn');
            const r = normalizeIndonesianPhone(input.phone.startsWith('+') ? input.phone : `+${input.phone}`);
            return r.ok ? good(r.value) : bad('register.errPhoneForeign');
          }
          if (input.kind === 'text') {
            const r = normalizeIndonesianPhone(input.text);
            return r.ok ? good(r.value) : bad('register.errPhone');
          }
          return bad('register.errPhone');
        }),
      display: escapeHtml,
    },
    {
      id: 'email',
      prompt: 'register.askEmail',
      label: 'register.fieldEmail',
      optional: true,
      schema: () =>
        textAnswer((t) => {
          const r = parseEmail(t);
          return r.ok ? good(r.value) : bad('register.errEmail');
        }),
      display: escapeHtml,
    },
    {
      id: 'contact',
      prompt: 'register.askContact',
      label: 'register.fieldContact',
      optional: true,
      schema: () =>
        textAnswer((t) => {
          const v = parseContactName(t);
          return v === null ? bad('register.errContact') : good(v);
        }),
      display: escapeHtml,
    },
  ],
  // Without a contact person officials see the owner's Telegram name: say so on the card.
  async preview(ctx, draft) {
    if (typeof draft.contact === 'string') return null;
    return ctx.t('register.contactStandIn', { name: ctx.user.displayName });
  },
  async save(ctx, draft) {
    // A missing answer is '' here, which the service refuses like any invalid one.
    const result = await saveBusiness(ctx.app.db, ctx.user.id, {
      companyName: draft.company ?? '',
      nib: draft.nib ?? '',
      province: draft.prov ?? '',
      city: draft.city ?? '',
      phone: draft.phone ?? '',
      email: draft.email ?? null,
      // A draft from before this step has no key: saved as no contact, the Telegram name stands in.
      contactName: draft.contact ?? null,
    });
    if (!result.ok) {
      return { kind: 'refused', html: ctx.t(result.error === 'nib_taken' ? 'register.errNibTaken' : 'flows.invalid') };
    }
    const zone = provinceByName(result.value.province)?.zone ?? 'WIB';
    return { kind: 'saved', html: ctx.t('register.saved', { company: result.value.companyName, zone }) };
  },
});

export function businessDraft(b: Business): RegisterDraft {
  return { company: b.companyName, nib: b.nib, prov: b.province, city: b.city, phone: b.phone, email: b.email, contact: b.contactName };
}
