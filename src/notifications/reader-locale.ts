import { Injectable } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { isUser, type Actor } from '../access/actor.js';
import { localeOf, type Locale } from '../config/locale.js';
import type { Environment } from '../config/environment.js';

/**
 * The language someone reads notifications in: their profile's (PATCH /users/me `locale`), else
 * their token's `locale` claim, else DEFAULT_LOCALE — also for open mode's dashboard and anyone
 * without an account. A language the platform does not speak counts as none.
 */
@Injectable()
export class ReaderLocale {
  private readonly fallback: Locale;

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    config: ConfigService<Environment, true>,
  ) {
    this.fallback = config.get('DEFAULT_LOCALE', { infer: true });
  }

  async of(actor: Actor): Promise<Locale> {
    if (!isUser(actor)) return this.fallback;
    const [profile] = await this.dataSource.query<{ locale: string | null }[]>(
      'SELECT locale FROM users WHERE issuer = $1 AND sub = $2',
      [actor.issuer, actor.sub],
    );
    return localeOf(profile?.locale) ?? localeOf(actor.locale) ?? this.fallback;
  }
}
