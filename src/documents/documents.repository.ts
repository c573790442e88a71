import { Injectable } from '@nestjs/common';
import { In, type EntityManager } from 'typeorm';
import type { User } from '../access/actor.js';
import { Document, type DocumentType } from './document.entity.js';

/** Whose documents: an agency's, or one renter's (issuer and sub). */
export type DocumentOwner = { agencyId: string } | { user: Pick<User, 'issuer' | 'sub'> };

const ownedBy = (owner: DocumentOwner) =>
  'agencyId' in owner ? { agencyId: owner.agencyId } : { ownerIssuer: owner.user.issuer, ownerSub: owner.user.sub };

/** The SQL of documents (their files: FilesRepository and FileStore). */
@Injectable()
export class DocumentsRepository {
  create(manager: EntityManager, document: Partial<Document>): Promise<Document> {
    return manager.save(manager.create(Document, document));
  }

  /** The owner's documents, newest first. */
  list(manager: EntityManager, owner: DocumentOwner): Promise<Document[]> {
    return manager.find(Document, {
      where: ownedBy(owner),
      relations: { file: true },
      order: { createdAt: 'DESC', id: 'ASC' },
    });
  }

  find(manager: EntityManager, id: string, lock = false): Promise<Document | null> {
    return manager.findOne(Document, {
      where: { id },
      ...(lock ? { lock: { mode: 'pessimistic_write' as const } } : {}),
    });
  }

  byFile(manager: EntityManager, fileId: string): Promise<Document | null> {
    return manager.findOne(Document, { where: { fileId } });
  }

  /** The owner's documents of these types, newest first. */
  ofTypes(manager: EntityManager, owner: DocumentOwner, types: readonly DocumentType[]): Promise<Document[]> {
    return manager.find(Document, {
      where: { ...ownedBy(owner), type: In([...types]) },
      order: { createdAt: 'DESC', id: 'ASC' },
    });
  }
}
