import { Injectable } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import type { EntityManager } from 'typeorm';
import { actorStamp, type Actor, type User } from '../access/actor.js';
import { policies } from '../access/policies.js';
import { InvalidInput, NotFound } from '../common/domain-errors.js';
import type { Environment } from '../config/environment.js';
import { AtomicWrite } from '../database/atomic-write.js';
import { Transactions } from '../database/transactions.js';
import { contentTypeOf, DOCUMENT_TYPES, imageWidth, originalOf } from '../files/file-bytes.js';
import { FileStore } from '../files/file-store.js';
import { FilesRepository } from '../files/files.repository.js';
import { addNotice, type Notice } from '../notifications/notice.js';
import { AGENCY_DOCUMENT_TYPES, RENTER_DOCUMENT_TYPES, type Document, type DocumentType } from './document.entity.js';
import { AgencyPapers, type RequiredDocument } from '../agencies/agency-papers.js';
import { toDocumentResponse, type DocumentResponse } from './document.response.js';
import { DocumentsRepository, type DocumentOwner } from './documents.repository.js';
import type { ReviewDocumentDto } from './dto/documents.dto.js';

/**
 * Papers sent for verification: an agency's (also while pending: its application is where they go)
 * and a renter's, private to their owner and the admin team, who approves or rejects each (the owner
 * is told). An agency is approved once AGENCY_REQUIRED_DOCUMENTS are; a renter is verified once a
 * driving licence is.
 */
@Injectable()
export class DocumentsService implements AgencyPapers {
  private readonly required: DocumentType[];
  private readonly filesPath: string;

  constructor(
    private readonly documents: DocumentsRepository,
    private readonly files: FilesRepository,
    private readonly store: FileStore,
    private readonly transactions: Transactions,
    config: ConfigService<Environment, true>,
  ) {
    this.required = config.get('AGENCY_REQUIRED_DOCUMENTS', { infer: true });
    const prefix = config.get('API_PREFIX', { infer: true }).replace(/^\/+|\/+$/g, '');
    this.filesPath = `${prefix ? `/${prefix}` : ''}/files`;
  }

  /** The agency itself (or the admin team) sends one of its papers. */
  async addForAgency(agencyId: string, type: string, bytes: Buffer, actor: Actor): Promise<DocumentResponse> {
    if (!policies.managesAgency(actor, agencyId)) throw new NotFound('Agency not found');
    const documentType = oneOf(type, AGENCY_DOCUMENT_TYPES);
    return this.add({ agencyId }, documentType, bytes, actor, {
      agencyId: null,
      link: `/agencies/${agencyId}/documents`,
    });
  }

  /** A renter sends their own driving licence or ID card. */
  addForRenter(type: string, bytes: Buffer, actor: Actor): Promise<DocumentResponse> {
    const user = policies.documentOwner(actor);
    return this.add({ user }, oneOf(type, RENTER_DOCUMENT_TYPES), bytes, actor, {
      agencyId: null,
      link: `/users/${user.sub}/documents`,
    });
  }

  async listForAgency(agencyId: string, actor: Actor): Promise<DocumentResponse[]> {
    if (!policies.managesAgency(actor, agencyId)) throw new NotFound('Agency not found');
    return this.list({ agencyId });
  }

  /** A renter's own documents; the admin team names the renter (`sub`, and `issuer` when several share it). */
  listForUser(user: Pick<User, 'issuer' | 'sub'>, actor: Actor): Promise<DocumentResponse[]> {
    if (!policies.seesDocument(actor, { agencyId: null, ownerIssuer: user.issuer, ownerSub: user.sub })) {
      throw new NotFound('No such account');
    }
    return this.list({ user });
  }

  /** The admin team approves or rejects a document (a rejection says why); its owner is told. */
  async review(id: string, dto: ReviewDocumentDto, actor: Actor): Promise<DocumentResponse> {
    if (dto.status === 'rejected' && !dto.reason) throw new InvalidInput('reason is required to reject a document');
    return this.transactions.run(async (manager) => {
      const document = await this.documents.find(manager, id, true);
      if (!document) throw new NotFound('Document not found');
      document.status = dto.status;
      document.reason = dto.reason ?? null;
      document.reviewedBy = actorStamp(actor).sub;
      document.reviewedAt = new Date();
      const saved = await manager.save(document);
      const file = await this.files.find(manager, saved.fileId);
      await addNotice(new AtomicWrite(), reviewNotice(saved)).run(manager);
      return toDocumentResponse(saved, file!, this.filesPath);
    });
  }

  /** Where the agency stands with each required type (the newest document of the type counts). */
  async requiredFor(manager: EntityManager, agencyId: string): Promise<RequiredDocument[]> {
    const sent = await this.documents.ofTypes(manager, { agencyId }, this.required);
    return this.required.map((type) => ({
      type,
      status: sent.find((document) => document.type === type)?.status ?? 'missing',
    }));
  }

  /** The required types the agency has no approved document of (its approval waits for them). */
  async missingFor(manager: EntityManager, agencyId: string): Promise<string[]> {
    return (await this.requiredFor(manager, agencyId))
      .filter((need) => need.status !== 'approved')
      .map((need) => need.type);
  }

  /** Whether the renter has an approved driving licence. */
  async isVerified(manager: EntityManager, user: Pick<User, 'issuer' | 'sub'>): Promise<boolean> {
    const licences = await this.documents.ofTypes(manager, { user }, ['driving_licence']);
    return licences.some((document) => document.status === 'approved');
  }

  /** Whether `actor` may read the document whose file is `fileId` (none: not a document's). */
  async mayRead(fileId: string, actor: Actor): Promise<boolean> {
    const document = await this.documents.byFile(this.transactions.manager, fileId);
    return document !== null && policies.seesDocument(actor, document);
  }

  private async add(
    owner: DocumentOwner,
    type: DocumentType,
    bytes: Buffer,
    actor: Actor,
    toTeam: Pick<Notice, 'agencyId' | 'link'>,
  ): Promise<DocumentResponse> {
    const contentType = await contentTypeOf(bytes, DOCUMENT_TYPES);
    if (contentType.startsWith('image/')) await imageWidth(bytes);
    return this.transactions.run(async (manager) => {
      const agencyId = 'agencyId' in owner ? owner.agencyId : null;
      const user = 'user' in owner ? owner.user : undefined;
      const file = await this.files.create(manager, {
        kind: agencyId ? 'agency_document' : 'user_document',
        contentType,
        size: bytes.length,
        agencyId,
        ownerIssuer: user?.issuer ?? null,
        ownerSub: user?.sub ?? null,
      });
      await this.store.put(manager, file.id, [originalOf(bytes, contentType)]);
      const document = await this.documents.create(manager, {
        fileId: file.id,
        type,
        agencyId,
        ownerIssuer: user?.issuer ?? null,
        ownerSub: user?.sub ?? null,
      });
      await addNotice(new AtomicWrite(), {
        ...toTeam,
        type: 'SYSTEM',
        category: 'account',
        text: { kind: 'document.sent', params: { type, by: actorStamp(actor).sub } },
        data: { documentId: document.id, type },
      }).run(manager);
      return toDocumentResponse(document, file, this.filesPath);
    });
  }

  private async list(owner: DocumentOwner): Promise<DocumentResponse[]> {
    const documents = await this.documents.list(this.transactions.manager, owner);
    return documents.map((document) => toDocumentResponse(document, document.file!, this.filesPath));
  }
}

function oneOf<T extends string>(value: string, allowed: readonly T[]): T {
  if (!allowed.includes(value as T)) throw new InvalidInput(`type must be one of ${allowed.join(', ')}`);
  return value as T;
}

/** What a document's owner is told of its review. */
function reviewNotice(document: Document): Notice {
  const base = {
    type: 'SYSTEM' as const,
    category: 'account' as const,
    text: {
      kind: 'document.reviewed' as const,
      params: { type: document.type, status: document.status, reason: document.reason },
    },
    data: { documentId: document.id, type: document.type, status: document.status, reason: document.reason },
  };
  return document.agencyId
    ? { ...base, agencyId: document.agencyId, link: `/agencies/${document.agencyId}/documents` }
    : { ...base, agencyId: null, recipientSub: document.ownerSub!, link: '/users/me/documents' };
}
