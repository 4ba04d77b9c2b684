import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';

/** One line of the decision log: why a user did or did not get a message. */
@Entity({ name: 'decisions' })
export class DecisionEntity {
  @PrimaryGeneratedColumn('increment', { type: 'bigint' }) id!: string;
  @Column('text', { name: 'user_id' }) userId!: string;
  @Column('text', { name: 'campaign_id' }) campaignId!: string;
  @Column('integer', { name: 'campaign_version' }) campaignVersion!: number;
  @Column('text', { name: 'trigger_event_id' }) triggerEventId!: string;
  @Column('text', { name: 'step_id' }) stepId!: string;
  @Column('text') outcome!: string;
  @Column('text') reason!: string;
  @Column('timestamptz') at!: Date;
  @Column('timestamptz', { name: 'scheduled_for', nullable: true }) scheduledFor!: Date | null;
}
