import { Transform } from 'class-transformer';
import { ValidateIf } from 'class-validator';

/** Accepts numeric strings ("4", "99.5") as numbers; leaves anything else for the validators to reject. */
export const ToNumber = () =>
  Transform(({ value }: { value: unknown }) =>
    typeof value === 'string' && value.trim() !== '' && Number.isFinite(Number(value)) ? Number(value) : value,
  );

/** Accepts "true"/"false" (query strings) as booleans. */
export const ToBoolean = () =>
  Transform(({ value }: { value: unknown }) => (value === 'true' ? true : value === 'false' ? false : value));

/** Trims strings, so "  BMW " and "BMW" are the same make. */
export const Trim = () =>
  Transform(({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value));

/** Like @IsOptional(), but only for an absent field: an explicit null is validated (and rejected). */
export const IsOptionalNotNull = () => ValidateIf((_object: object, value: unknown) => value !== undefined);
