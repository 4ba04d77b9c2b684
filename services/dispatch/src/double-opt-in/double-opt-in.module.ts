import { Module } from '@nestjs/common';
import { OptInConfirmation } from './opt-in-confirmation.service';

/**
 * Double opt-in (issue #12 item 4): confirming a pending marketing consent — by a YES from the
 * address (the inbound module calls `OptInConfirmation`). The confirmation message itself is
 * decided by rules and sent like any other.
 */
@Module({
  providers: [OptInConfirmation],
  exports: [OptInConfirmation],
})
export class DoubleOptInModule {}
