import { CampaignEntity, CampaignVersionEntity } from './campaign.entity';
import { DecisionEntity } from './decision.entity';
import { MessageEntity } from './message.entity';
import { PendingSendEntity } from './pending-send.entity';
import { ProfileEntity } from './profile.entity';

export { CampaignEntity, CampaignVersionEntity, DecisionEntity, MessageEntity, PendingSendEntity, ProfileEntity };
export const ENTITIES = [CampaignEntity, CampaignVersionEntity, DecisionEntity, MessageEntity, PendingSendEntity, ProfileEntity];
