import { Transform } from 'class-transformer';
import { ValidateBy, ValidateIf } from 'class-validator';

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

/**
 * A positive amount with at most two decimals. class-validator's
 * `maxDecimalPlaces` splits the number's text on "." and throws a TypeError on
 * exponent forms such as 1e-7; this checks the value arithmetically instead.
 */
export const IsMoney = (max: number) =>
  ValidateBy({
    name: 'isMoney',
    validator: {
      validate: (value: unknown) =>
        typeof value === 'number' &&
        Number.isFinite(value) &&
        value >= 0.01 &&
        value <= max &&
        Math.abs(Math.round(value * 100) - value * 100) < 1e-6,
      defaultMessage: (args) => `${args?.property} must be a number from 0.01 to ${max} with at most two decimals`,
    },
  });
