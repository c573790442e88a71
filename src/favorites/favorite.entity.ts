import { CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';
import { Account } from '../accounts/account.entity.js';
import { Car } from '../cars/car.entity.js';

/** A car a renter keeps in their favourites, by identity (issuer and sub). */
@Entity('favorites')
@Index('favorites_by_car', ['carId'])
export class Favorite {
  @PrimaryColumn('text', { primaryKeyConstraintName: 'PK_favorites' })
  issuer: string;

  @PrimaryColumn('text', { primaryKeyConstraintName: 'PK_favorites' })
  sub: string;

  @PrimaryColumn('uuid', { primaryKeyConstraintName: 'PK_favorites' })
  carId: string;

  @ManyToOne(() => Account, { onDelete: 'CASCADE' })
  @JoinColumn([
    { name: 'issuer', referencedColumnName: 'issuer', foreignKeyConstraintName: 'FK_favorites_user' },
    { name: 'sub', referencedColumnName: 'sub', foreignKeyConstraintName: 'FK_favorites_user' },
  ])
  user?: Account;

  @ManyToOne(() => Car, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'car_id', foreignKeyConstraintName: 'FK_favorites_car' })
  car?: Car;

  @CreateDateColumn({ type: 'timestamptz', precision: 3 })
  createdAt: Date;
}
