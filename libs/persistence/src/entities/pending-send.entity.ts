import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

/** A durable timer: a send due at `dueAt`, claimed by a poller with SKIP LOCKED. */
@Entity({ name: 'pending_sends' })
export class PendingSendEntity {
  @PrimaryGeneratedColumn('increment', { type: 'bigint' }) id!: string;
  @Index({ unique: true }) @Column('text', { name: 'send_id' }) sendId!: string;
  @Column('text', { name: 'user_id' }) userId!: string;
  @Column('text', { name: 'campaign_id' }) campaignId!: string;
  @Column('integer', { name: 'campaign_version' }) campaignVersion!: number;
  @Column('text', { name: 'trigger_event_id' }) triggerEventId!: string;
  @Column('text', { name: 'step_id' }) stepId!: string;
  @Column('timestamptz', { name: 'due_at' }) dueAt!: Date;
  @Column('jsonb', { name: 'trigger_event' }) triggerEvent!: Record<string, unknown>;
  @Column('timestamptz', { name: 'created_at' }) createdAt!: Date;
}
