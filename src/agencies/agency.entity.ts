import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn } from 'typeorm';

/**
 * The agency that open mode (no auth settings) works as: it owns every car of a single-agency
 * install, and every existing car moves to it when the agencies arrive (AddAgencies migration).
 */
export const BUILT_IN_AGENCY_ID = '00000000-0000-4000-8000-000000000001';

/** An agency on the platform: it owns cars, and through them their bookings, reviews and notifications. */
@Entity('agencies')
export class Agency {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column('text')
  name: string;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;
}
