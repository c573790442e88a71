import { Column, Entity, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';
import { StoredFile } from './stored-file.entity.js';

/** The bytes of one form of a file: width 0 is the original, others are resized images. */
@Entity('file_variants')
export class FileVariant {
  @PrimaryColumn('uuid', { primaryKeyConstraintName: 'PK_file_variants' })
  fileId: string;

  @PrimaryColumn('integer', { primaryKeyConstraintName: 'PK_file_variants' })
  width: number;

  @ManyToOne(() => StoredFile, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'file_id', foreignKeyConstraintName: 'FK_file_variants_file' })
  file?: StoredFile;

  @Column('text')
  contentType: string;

  @Column('integer')
  size: number;

  /** A strong ETag: the bytes' SHA-256. */
  @Column('text')
  etag: string;

  @Column('bytea')
  bytes: Buffer;
}
