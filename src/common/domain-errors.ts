/**
 * What went wrong, in the domain's words. Services, repositories and the access layer throw these;
 * the one exception filter (all-exceptions.filter.ts) alone decides what each means in HTTP.
 */
export type DomainErrorKind = 'invalid' | 'not-allowed' | 'not-found' | 'conflict' | 'unsupported';

export class DomainError extends Error {
  constructor(
    readonly kind: DomainErrorKind,
    message: string,
  ) {
    super(message);
    this.name = new.target.name;
  }
}

/** The request's input makes no sense (a period that ends before it starts, a missing reason). */
export class InvalidInput extends DomainError {
  constructor(message: string) {
    super('invalid', message);
  }
}

/** The caller may not do this (an action its role or standing does not allow). */
export class NotAllowed extends DomainError {
  constructor(message: string) {
    super('not-allowed', message);
  }
}

/** No such thing, or none the caller may see (another agency's is answered the same way). */
export class NotFound extends DomainError {
  constructor(message: string) {
    super('not-found', message);
  }
}

/** The thing is not in a state that allows this (a status change out of order, a closed thread). */
export class Conflict extends DomainError {
  constructor(message: string) {
    super('conflict', message);
  }
}

/** The content is of a kind this is not for (a file whose bytes are not an accepted type). */
export class Unsupported extends DomainError {
  constructor(message: string) {
    super('unsupported', message);
  }
}
