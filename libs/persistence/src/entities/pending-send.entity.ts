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
  /** Null: a fallback step waiting for dispatch to report its message unread. */
  @Column('timestamptz', { name: 'due_at', nullable: true }) dueAt!: Date | null;
  @Column('jsonb', { name: 'trigger_event' }) triggerEvent!: Record<string, unknown>;
  /** A fallback step (`FallbackStep` of rules): the message it replaces and the chain left. */
  @Column('jsonb', { name: 'fallback', nullable: true }) fallback!: Record<string, unknown> | null;
  @Column('timestamptz', { name: 'created_at' }) createdAt!: Date;
}
