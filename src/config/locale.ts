/** The languages the platform speaks: every notification and e-mail exists in each. */
export const LOCALES = ['en', 'fr'] as const;
export type Locale = (typeof LOCALES)[number];

/** The language of a BCP 47 tag (`fr-MA` → `fr`), or undefined when the platform does not speak it. */
export function localeOf(tag: string | null | undefined): Locale | undefined {
  const language = tag?.split('-')[0].toLowerCase();
  return LOCALES.find((locale) => locale === language);
}
