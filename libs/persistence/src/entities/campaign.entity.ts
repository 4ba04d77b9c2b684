import { Column, Entity, PrimaryColumn } from 'typeorm';

/** The running version of a campaign (one row per campaign id). */
@Entity({ name: 'campaigns' })
export class CampaignEntity {
  @PrimaryColumn('text') id!: string;
  @Column('integer') version!: number;
  @Column('jsonb') document!: Record<string, unknown>;
  /** `file:<path>` or `api`. */
  @Column('text') source!: string;
  @Column('text') checksum!: string;
  @Column('timestamptz', { name: 'updated_at' }) updatedAt!: Date;
}

/** Every version a campaign ever had; timers fire with the version they were scheduled by. */
@Entity({ name: 'campaign_versions' })
export class CampaignVersionEntity {
  @PrimaryColumn('text', { name: 'campaign_id' }) campaignId!: string;
  @PrimaryColumn('integer') version!: number;
  @Column('jsonb') document!: Record<string, unknown>;
  @Column('text') source!: string;
  @Column('text') checksum!: string;
  @Column('timestamptz', { name: 'created_at' }) createdAt!: Date;
}
