import { Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import { Complaint } from './complaint.entity.js';

/** One message of a complaint's thread; an internal note is for the admin team only. */
@Entity('complaint_messages')
@Index(['complaintId', 'id'])
export class ComplaintMessage {
  @PrimaryGeneratedColumn('identity', { type: 'bigint', generatedIdentity: 'ALWAYS' })
  id: string;

  @Column('uuid')
  complaintId: string;

  @ManyToOne(() => Complaint, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'complaint_id' })
  complaint?: Complaint;

  @Column('text')
  authorSub: string;

  @Column('text')
  authorRole: string;

  @Column('text')
  content: string;

  @Column('boolean', { default: false })
  internal: boolean;

  @CreateDateColumn({ type: 'timestamptz', precision: 3 })
  createdAt: Date;
}
