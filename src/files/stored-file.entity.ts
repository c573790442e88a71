import { Check, Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import { Car } from '../cars/car.entity.js';

export const FILE_KINDS = ['car_image', 'agency_document', 'user_document'] as const;
export type FileKind = (typeof FILE_KINDS)[number];

/** An uploaded file: what it is and whose (its bytes are in file_variants, see FileStore). */
@Entity('files')
@Check('files_kind_known', `"kind" IN ('car_image', 'agency_document', 'user_document')`)
@Index('files_by_car', ['carId'])
export class StoredFile {
  @PrimaryGeneratedColumn('uuid', { primaryKeyConstraintName: 'PK_files' })
  id: string;

  @Column('text')
  kind: FileKind;

  /** Of the original, as its bytes say. */
  @Column('text')
  contentType: string;

  @Column('integer')
  size: number;

  /** A car image's car (the file goes with it). */
  @Column('uuid', { nullable: true })
  carId: string | null;

  @ManyToOne(() => Car, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'car_id', foreignKeyConstraintName: 'FK_files_car' })
  car?: Car;

  /** A car image's or an agency document's agency. */
  @Column('uuid', { nullable: true })
  agencyId: string | null;

  /** A user document's owner (issuer and sub). */
  @Column('text', { nullable: true })
  ownerIssuer: string | null;

  @Column('text', { nullable: true })
  ownerSub: string | null;

  @CreateDateColumn({ type: 'timestamptz', precision: 3 })
  createdAt: Date;
}
