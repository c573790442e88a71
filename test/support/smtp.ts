import { simpleParser, type ParsedMail } from 'mailparser';
import { SMTPServer } from 'smtp-server';
import { freePort } from '../../src/common/free-port.js';
import { waitFor } from './wait.js';

export interface ReceivedMail {
  to: string[];
  subject: string;
  text: string;
  html: string;
  raw: string;
}

/**
 * A real SMTP server in the test process (smtp-server): what it accepts, parsed (mailparser);
 * `reject` answers the message with an SMTP code (550: a hard bounce); `stop`/`start` take it away
 * and bring it back on the same port.
 */
export class TestSmtpServer {
  readonly received: ReceivedMail[] = [];
  /** Messages offered (accepted or not). */
  offered = 0;
  reject: number | null = null;
  private server?: SMTPServer;

  private constructor(readonly port: number) {}

  static async start(): Promise<TestSmtpServer> {
    const smtp = new TestSmtpServer(await freePort());
    await smtp.start();
    return smtp;
  }

  get url(): string {
    return `smtp://127.0.0.1:${this.port}`;
  }

  async start(): Promise<void> {
    if (this.server) return;
    this.server = new SMTPServer({
      authOptional: true,
      disabledCommands: ['STARTTLS', 'AUTH'],
      logger: false,
      onData: (stream, session, callback) => {
        const chunks: Buffer[] = [];
        stream.on('data', (chunk: Buffer) => chunks.push(chunk));
        stream.on('end', () => {
          this.offered += 1;
          if (this.reject !== null) {
            callback(Object.assign(new Error('Mailbox unavailable'), { responseCode: this.reject }));
            return;
          }
          const raw = Buffer.concat(chunks).toString('utf8');
          const to = session.envelope.rcptTo.map((recipient) => recipient.address);
          void simpleParser(raw).then((mail: ParsedMail) => {
            this.received.push({
              to,
              subject: mail.subject ?? '',
              text: mail.text ?? '',
              html: typeof mail.html === 'string' ? mail.html : '',
              raw,
            });
            callback();
          }, callback);
        });
      },
    });
    const server = this.server;
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.port, '127.0.0.1', () => resolve());
    });
  }

  async stop(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  /** The e-mails received for `address`. */
  to(address: string): ReceivedMail[] {
    return this.received.filter((mail) => mail.to.includes(address));
  }

  /** Waits until `count` e-mails have reached `address`. */
  waitFor(address: string, count: number, timeoutMs = 10_000): Promise<ReceivedMail[]> {
    return waitFor(
      () => (this.to(address).length >= count ? this.to(address) : undefined),
      timeoutMs,
      `${count} e-mail(s) to ${address}`,
    );
  }
}
