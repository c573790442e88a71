import type { ValueTransformer } from 'typeorm';

/** PostgreSQL `numeric` arrives as a string; the contract wants JSON numbers. */
export const numericTransformer: ValueTransformer = {
  to: (value: number | null | undefined) => value,
  from: (value: string | null) => (value === null ? null : Number(value)),
};
