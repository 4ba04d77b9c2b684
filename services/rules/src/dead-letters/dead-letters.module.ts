import { Module } from '@nestjs/common';
import { DeadLetterReplaysStore } from './dead-letter-replays.store';
import { DeadLettersController } from './dead-letters.controller';
import { DeadLetters } from './dead-letters.service';

/** `GET /v1/dead-letters` and `POST /v1/dead-letters/replay`. */
@Module({
  controllers: [DeadLettersController],
  providers: [DeadLetters, DeadLetterReplaysStore],
})
export class DeadLettersModule {}
