import { Body, Controller, Get, HttpCode, Post, Query } from '@nestjs/common';
import { deadLettersQueryOf, replayRequestOf } from './dead-letter-requests';
import { DeadLetters } from './dead-letters.service';

/** The dead letters of Nudge's topics (DESIGN: nothing is lost silently), listed (read) and replayed (write). */
@Controller('v1/dead-letters')
export class DeadLettersController {
  constructor(private readonly deadLetters: DeadLetters) {}

  @Get()
  async list(@Query() query: unknown) {
    return this.deadLetters.list(deadLettersQueryOf(query));
  }

  @Post('replay')
  @HttpCode(200)
  async replay(@Body() body: unknown) {
    return this.deadLetters.replay(replayRequestOf(body));
  }
}
