import { Column, Entity, PrimaryColumn } from 'typeorm';

/** A message dispatch owns: inserted before the provider is called, unique on sendId. */
@Entity({ name: 'messages' })
export class MessageEntity {
  @PrimaryColumn('uuid') id!: string;
  @Column('text', { name: 'send_id', unique: true }) sendId!: string;
  @Column('text', { name: 'campaign_id' }) campaignId!: string;
  @Column('integer', { name: 'campaign_version' }) campaignVersion!: number;
  @Column('text', { name: 'step_id' }) stepId!: string;
  @Column('text', { name: 'user_id' }) userId!: string;
  @Column('text', { name: 'trigger_event_id' }) triggerEventId!: string;
  @Column('text') channel!: string;
  @Column('text') provider!: string;
  @Column('text') recipient!: string;
  @Column('text', { nullable: true }) body!: string | null;
  @Column('integer', { nullable: true }) segments!: number | null;
  @Column('text') status!: string;
  @Column('jsonb', { name: 'status_history' }) statusHistory!: { status: string; at: string }[];
  @Column('text', { name: 'failure_reason', nullable: true }) failureReason!: string | null;
  @Column('text', { name: 'provider_message_id', nullable: true }) providerMessageId!: string | null;
  @Column('integer') attempts!: number;
  @Column('timestamptz', { name: 'next_attempt_at', nullable: true }) nextAttemptAt!: Date | null;
  @Column('timestamptz', { name: 'lease_until', nullable: true }) leaseUntil!: Date | null;
  @Column('uuid', { name: 'lease_token', nullable: true }) leaseToken!: string | null;
  @Column('jsonb') request!: Record<string, unknown>;
  @Column('timestamptz', { name: 'created_at' }) createdAt!: Date;
  @Column('timestamptz', { name: 'updated_at' }) updatedAt!: Date;
}
