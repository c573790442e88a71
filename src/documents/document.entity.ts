import { Check, Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import { StoredFile } from '../files/stored-file.entity.js';

export const AGENCY_DOCUMENT_TYPES = ['business_licence', 'insurance', 'registration', 'other'] as const;
export const RENTER_DOCUMENT_TYPES = ['driving_licence', 'id_card'] as const;
export type DocumentType = (typeof AGENCY_DOCUMENT_TYPES)[number] | (typeof RENTER_DOCUMENT_TYPES)[number];
export const DOCUMENT_STATUSES = ['pending', 'approved', 'rejected'] as const;
export type DocumentStatus = (typeof DOCUMENT_STATUSES)[number];

/** A paper sent for verification: an agency's or a renter's file, reviewed by the admin team. */
@Entity('documents')
@Check('documents_status_known', `"status" IN ('pending', 'approved', 'rejected')`)
@Check(
  'documents_type_known',
  `"type" IN ('business_licence', 'insurance', 'registration', 'other', 'driving_licence', 'id_card')`,
)
@Check('documents_have_an_owner', `("agency_id" IS NULL) <> ("owner_sub" IS NULL)`)
@Index('documents_by_file', ['fileId'], { unique: true })
@Index('documents_by_agency', ['agencyId', 'createdAt'])
@Index('documents_by_owner', ['ownerSub', 'ownerIssuer', 'createdAt'])
export class Document {
  @PrimaryGeneratedColumn('uuid', { primaryKeyConstraintName: 'PK_documents' })
  id: string;

  @Column('uuid')
  fileId: string;

  @ManyToOne(() => StoredFile, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'file_id', foreignKeyConstraintName: 'FK_documents_file' })
  file?: StoredFile;

  @Column('text')
  type: DocumentType;

  /** An agency's document. */
  @Column('uuid', { nullable: true })
  agencyId: string | null;

  /** A renter's document: their identity. */
  @Column('text', { nullable: true })
  ownerIssuer: string | null;

  @Column('text', { nullable: true })
  ownerSub: string | null;

  @Column('text', { default: 'pending' })
  status: DocumentStatus;

  /** Why it was rejected (or a note on an approval). */
  @Column('text', { nullable: true })
  reason: string | null;

  @Column('text', { nullable: true })
  reviewedBy: string | null;

  @Column({ type: 'timestamptz', precision: 3, nullable: true })
  reviewedAt: Date | null;

  @CreateDateColumn({ type: 'timestamptz', precision: 3 })
  createdAt: Date;
}
