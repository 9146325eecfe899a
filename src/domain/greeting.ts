/**
 * Which greeting /start gives someone returning (issue 19): one message that fits who is asking. A
 * first contact gets the welcome and the language choice instead; afterwards the choice lives under
 * /bahasa.
 */
export type ReturningGreeting = 'official' | 'noBusiness' | 'noProducts' | 'welcomeBack';

export interface ExporterFacts {
  hasBusiness: boolean;
  activeProducts: number;
}

/** `exporter` is read only for exporters: officials' greeting needs no query. */
export function returningGreeting(role: 'exporter' | 'official' | 'admin', exporter: ExporterFacts | undefined): ReturningGreeting {
  if (role !== 'exporter') return 'official';
  if (!exporter?.hasBusiness) return 'noBusiness';
  if (exporter.activeProducts === 0) return 'noProducts';
  return 'welcomeBack';
}
