import { Inject, Injectable } from '@nestjs/common';
import { inTransaction } from '@nudge/persistence';
import { DATA_SOURCE } from '@nudge/service-runtime';
import type { Clock } from '@nudge/timing';
import { InjectPinoLogger, PinoLogger } from 'nestjs-pino';
import type { DataSource, EntityManager } from 'typeorm';
import { CLOCK } from '../clock';
import { MessageStore } from '../messages/message.store';
import { StatusEventsOutbox } from '../outbox/status-events.outbox';
import { DeliveryReceiptsService } from '../providers/delivery-receipts.service';
import { LINK_CODE } from './message-links';
import { TrackedLinksStore } from './tracked-links.store';

/**
 * A click on a tracked link: count it → on the link's first click, the message becomes
 * `clicked` through the status path (`message_clicked`) → answer where to redirect. The
 * recipient is redirected even when the click cannot be recorded (database down): that is
 * logged, and only the count is lost. Its `message_clicked` goes through the outbox.
 */
@Injectable()
export class TrackedLinksService {
  constructor(
    @Inject(DATA_SOURCE) private readonly dataSource: DataSource,
    @Inject(CLOCK) private readonly clock: Clock,
    private readonly links: TrackedLinksStore,
    private readonly messages: MessageStore,
    private readonly receipts: DeliveryReceiptsService,
    private readonly outbox: StatusEventsOutbox,
    @InjectPinoLogger('tracked-links') private readonly logger: PinoLogger,
  ) {}

  /** The link's target, or null when there is no such link. */
  async follow(code: string): Promise<string | null> {
    if (!LINK_CODE.test(code)) return null;
    try {
      const target = await inTransaction(this.dataSource, async (manager) => {
        const link = await this.links.recordClick(manager, code, this.clock.now().toISOString());
        if (link?.clicks === 1) await this.markClicked(manager, link.messageId);
        return link?.target ?? null;
      });
      this.outbox.committed();
      return target;
    } catch (error) {
      this.logger.error({ err: error, code }, 'click not recorded; redirecting anyway');
      return this.links.targetOf(code);
    }
  }

  private async markClicked(manager: EntityManager, messageId: string): Promise<void> {
    const message = await this.messages.lockById(manager, messageId);
    if (!message) return;
    const { changes } = await this.receipts.applyLocked(manager, message, [{ status: 'clicked' }]);
    await this.outbox.add(manager, changes);
  }
}
