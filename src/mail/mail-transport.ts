import { mkdir, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { Logger } from '@nestjs/common';
import nodemailer, { type Transporter } from 'nodemailer';

/** One e-mail to one address. */
export interface OutgoingMail {
  to: string;
  subject: string;
  text: string;
  html: string;
}

/** Where e-mails go. A rejected send carries the SMTP reply's `responseCode` when there was one. */
export abstract class MailTransport {
  abstract send(mail: OutgoingMail): Promise<void>;
  close(): void {}
}

/** Through an SMTP server (`smtp://user:pass@host:587`: STARTTLS when the server offers it). */
export class SmtpTransport extends MailTransport {
  private readonly transporter: Transporter;

  constructor(url: string, from: string) {
    super();
    this.transporter = nodemailer.createTransport(url, { from });
  }

  async send(mail: OutgoingMail): Promise<void> {
    await this.transporter.sendMail(mail);
  }

  close(): void {
    this.transporter.close();
  }
}

/**
 * Without an SMTP server: each e-mail as an .eml file (any mail client opens it) in `dir`, its path
 * logged. The same MIME message SMTP would carry.
 */
export class EmlFileTransport extends MailTransport {
  private readonly logger = new Logger('Mail');
  private readonly transporter: Transporter;
  private readonly dir: string;
  private written = 0;

  constructor(dir: string, from: string) {
    super();
    this.dir = resolve(dir);
    this.transporter = nodemailer.createTransport({ streamTransport: true, buffer: true, newline: 'unix' }, { from });
  }

  async send(mail: OutgoingMail): Promise<void> {
    const { message } = (await this.transporter.sendMail(mail)) as { message: Buffer };
    await mkdir(this.dir, { recursive: true });
    const file = join(
      this.dir,
      `${new Date().toISOString().replace(/[:.]/g, '-')}-${process.pid}-${++this.written}.eml`,
    );
    await writeFile(file, message);
    this.logger.log(`E-mail to ${mail.to} written to ${file}`);
  }
}
