import { Module } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import type { Environment } from '../config/environment.js';
import { MailQueueRepository } from './mail-queue.repository.js';
import { EmlFileTransport, MailTransport, SmtpTransport } from './mail-transport.js';
import { Mailer } from './mailer.service.js';

/** E-mail: the notifications queued for it (a trigger does that), sent by SMTP_URL's server, else as .eml files. */
@Module({
  providers: [
    MailQueueRepository,
    Mailer,
    {
      provide: MailTransport,
      inject: [ConfigService],
      useFactory: (config: ConfigService<Environment, true>): MailTransport => {
        const url = config.get('SMTP_URL', { infer: true });
        const from = config.get('MAIL_FROM', { infer: true });
        return url ? new SmtpTransport(url, from) : new EmlFileTransport(config.get('MAIL_DIR', { infer: true }), from);
      },
    },
  ],
})
export class MailModule {}
